import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nestQuery } from '../../src/wire/params/nest.ts';

// Flat queries are parsed without qs (P1); they must give what qs gives. A bracketed key sends the whole query to
// qs, so `raw&zz[q]=1` less its `zz` is qs's own answer for `raw`.
const viaQs = (raw: string) => {
  const { zz, ...rest } = nestQuery(`${raw}&zz[q]=1`);
  assert.deepEqual(zz, { q: '1' });
  return rest;
};

const piece = fc.constantFrom(
  ...['a', 'B', 'ID', '0', '7', '_', '+', '%', '%2', '%20', '%2B', '%00', '%5B', '%5b', '%5D', '[', ']', '=', '&'],
  ...['?', 'é', '%C3%A9', '%E0%A4', 'toString', '__proto__', 'constructor', 'chat5', ' ', '%26', '%3D'],
);

describe('wire: flat query strings', () => {
  it('parse as qs parses them, whatever the pieces', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const raw = pieces.join('');
        if (raw.includes('zz')) return;
        assert.deepEqual(Object.entries(nestQuery(raw)), Object.entries(viaQs(raw)));
      }),
      { numRuns: 5000 },
    );
  });

  it('keep PHP parse_str rules on the calls SDKs send', () => {
    assert.deepEqual(nestQuery('BOT_ID=39&DIALOG_ID=chat5&CLIENT_ID=bench'), {
      BOT_ID: '39',
      DIALOG_ID: 'chat5',
      CLIENT_ID: 'bench',
    });
    assert.deepEqual(Object.entries(nestQuery('?a=1&b=x+y%21&a=2&=3&c&toString=4&d=%E0%A4')), [
      ['a', '2'],
      ['b', 'x y!'],
      ['c', ''],
      ['d', '%E0%A4'],
    ]);
    assert.deepEqual(nestQuery('MESSAGE=%5BB%5Dhi%5B%2FB%5D&K%00EY=v%00al'), { MESSAGE: '[B]hi[/B]', KEY: 'val' });
    assert.deepEqual(nestQuery('A=x%5D=y'), { 'A=x]': 'y' }); // qs splits at `]=`, left to it
    assert.deepEqual(nestQuery('FIELDS%5BNAME%5D=n&L[]=1&L[]=2'), { FIELDS: { NAME: 'n' }, L: ['1', '2'] });
    const many = Array.from({ length: 20_005 }, (_, i) => `k${i}=1`).join('&');
    assert.equal(Object.keys(nestQuery(many)).length, 20_000); // qs's parameterLimit, as before
  });
});
