import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAttach } from '../../src/domain/attach.ts';
import { commandLines, mentionedIds, normalizeText, stripMentions } from '../../src/domain/bb-code.ts';
import { parseMenu } from '../../src/domain/context-menu.ts';
import { parseKeyboard } from '../../src/domain/keyboard.ts';
import { changedMessageExtras, newMessageExtras } from '../../src/domain/message-extras.ts';
import { ApiError } from '../../src/wire/errors.ts';

function code(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
  return 'ok';
}

describe('ATTACH', () => {
  it('takes a JSON string, an object with BLOCKS, a bare list, and PHP-style lists from form params', () => {
    const blocks = [{ MESSAGE: 'Hi' }, { USER: { NAME: 'Ann', USER_ID: 2 } }];
    const expected = { ID: 1, COLOR_TOKEN: 'base', BLOCKS: blocks };
    assert.deepEqual(parseAttach(JSON.stringify({ BLOCKS: blocks })), expected);
    assert.deepEqual(parseAttach(blocks), expected);
    assert.deepEqual(parseAttach({ BLOCKS: { 0: blocks[0], 1: blocks[1] } }), expected);
    assert.deepEqual(parseAttach({ ID: '5', COLOR_TOKEN: 'alert', COLOR: '#ff0000', BLOCKS: blocks }), {
      ID: 5,
      COLOR_TOKEN: 'alert',
      COLOR: '#ff0000',
      BLOCKS: blocks,
    });
  });

  it('accepts every documented block type', () => {
    const blocks = [
      { MESSAGE: '[B]bold[/B]' },
      { LINK: { NAME: 'Docs', LINK: 'https://example.com' } },
      { LINK: [{ LINK: '/company/' }, { LINK: 'http://a.b' }] },
      { USER: { NAME: 'Ann' } },
      { GRID: [{ DISPLAY: 'LINE', NAME: 'a', VALUE: 'b' }, { DISPLAY: 'table' }] },
      { IMAGE: [{ LINK: 'https://example.com/a.png', WIDTH: 10, HEIGHT: 10 }] },
      { FILE: { LINK: 'https://example.com/a.pdf', NAME: 'a.pdf', SIZE: 100 } },
      { DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
      { DELIMITER: {} },
    ];
    assert.equal(parseAttach(blocks).BLOCKS.length, blocks.length);
  });

  it('attach DELIMITER shorthands: true, 1, "1", "Y" (the attachments and command.answer examples, SDKs) are a plain delimiter', () => {
    for (const value of [true, 1, '1', 'Y', '']) {
      assert.deepEqual(parseAttach([{ DELIMITER: value }]).BLOCKS, [{ DELIMITER: {} }], String(value));
    }
  });

  const malformed: [string, unknown][] = [
    ['not JSON', '{'],
    ['a scalar', 5],
    ['no blocks', { BLOCKS: [] }],
    ['an object without BLOCKS', { MESSAGE: 'x' }],
    ['a block that is not an object', ['x']],
    ['an unknown block', [{ HTML: '<b>' }]],
    ['two keys in a block', [{ MESSAGE: 'a', DELIMITER: {} }]],
    ['an empty MESSAGE', [{ MESSAGE: ' ' }]],
    ['a LINK without its URL', [{ LINK: { NAME: 'x' } }]],
    ['a LINK with a javascript: URL', [{ LINK: { LINK: 'javascript:alert(1)' } }]],
    ['a USER without NAME', [{ USER: { USER_ID: 1 } }]],
    ['a GRID that is no list', [{ GRID: { DISPLAY: 'ROW' } }]],
    ['a GRID item with an unknown DISPLAY', [{ GRID: [{ DISPLAY: 'CIRCLE' }] }]],
    ['an empty IMAGE list', [{ IMAGE: [] }]],
    ['a DELIMITER that is a list', [{ DELIMITER: [1] }]],
    ['a non-integer ID', { ID: 'abc', BLOCKS: [{ MESSAGE: 'x' }] }],
  ];
  for (const [name, value] of malformed) {
    it(`${name} → ATTACH_ERROR`, () =>
      assert.equal(
        code(() => parseAttach(value)),
        'ATTACH_ERROR',
      ));
  }

  it('60,000 characters of JSON or more → ATTACH_OVERSIZE (IsAllowSize); just under is fine', () => {
    assert.equal(
      code(() => parseAttach([{ MESSAGE: 'x'.repeat(60_000) }])),
      'ATTACH_OVERSIZE',
    );
    assert.equal(
      code(() => parseAttach([{ MESSAGE: 'x'.repeat(59_900) }])),
      'ok',
    );
    assert.equal(
      code(() => parseAttach([{ MESSAGE: 'ж'.repeat(59_900) }])),
      'ok',
      'characters, not bytes',
    );
  });
});

describe('KEYBOARD and MENU', () => {
  it('buttons get the BOT_ID their commands go to; NEWLINE breaks the row', () => {
    assert.deepEqual(parseKeyboard({ BUTTONS: [{ TEXT: 'A', COMMAND: 'a' }, { TYPE: 'newline' }] }, 7), [
      { TEXT: 'A', COMMAND: 'a', TYPE: 'BUTTON', BOT_ID: 7 },
      { TYPE: 'NEWLINE' },
    ]);
    assert.equal(parseKeyboard({ BOT_ID: 9, BUTTONS: [{ TEXT: 'A', LINK: '/x' }] }, 7)[0].BOT_ID, 9);
    assert.equal(parseKeyboard('[{"TEXT":"A","ACTION":"put","ACTION_VALUE":"hi"}]', 0).length, 1);
    assert.equal(parseKeyboard([{ TEXT: 'A', APP_ID: 3 }], 0).length, 1);
  });

  const badButtons: [string, unknown][] = [
    ['no buttons', { BUTTONS: [] }],
    ['no TEXT', [{ COMMAND: 'a' }]],
    ['no action', [{ TEXT: 'a' }]],
    ['a bad LINK', [{ TEXT: 'a', LINK: 'mailto:x' }]],
    ['an unknown ACTION', [{ TEXT: 'a', ACTION: 'JUMP', ACTION_VALUE: 'x' }]],
    ['ACTION without a value', [{ TEXT: 'a', ACTION: 'SEND' }]],
    ['not a list', 'N'],
  ];
  for (const [name, value] of badButtons) {
    it(`keyboard: ${name} → KEYBOARD_ERROR`, () =>
      assert.equal(
        code(() => parseKeyboard(value, 1)),
        'KEYBOARD_ERROR',
      ));
    it(`menu: ${name} → MENU_ERROR (or menu_ERROR)`, () => {
      const items = Array.isArray(value) ? value : { ITEMS: [] };
      assert.equal(
        code(() => parseMenu(items, 1)),
        'MENU_ERROR',
      );
      assert.equal(
        code(() => parseMenu(items, 1, 'menu_ERROR')),
        'menu_ERROR',
      );
    });
  }

  it('60,000 characters of JSON or more → KEYBOARD_OVERSIZE / MENU_OVERSIZE', () => {
    const big = 'x'.repeat(60_000);
    assert.equal(
      code(() => parseKeyboard([{ TEXT: big, COMMAND: 'a' }], 1)),
      'KEYBOARD_OVERSIZE',
    );
    assert.equal(
      code(() => parseMenu({ ITEMS: [{ TEXT: big, COMMAND: 'a' }] }, 1)),
      'MENU_OVERSIZE',
    );
  });
});

describe('message extras of add and update', () => {
  it('add: empty values are "none"; update: absent keeps, empty or N clears', () => {
    assert.deepEqual(newMessageExtras({ ATTACH: '', KEYBOARD: [], MENU: {} }, 1), {});
    assert.equal(
      code(() => newMessageExtras({ ATTACH: 'N' }, 1)),
      'ATTACH_ERROR',
    );
    assert.deepEqual(changedMessageExtras({}, 1, 'MENU_ERROR'), {});
    assert.deepEqual(changedMessageExtras({ ATTACH: 'N', KEYBOARD: '', MENU: [] }, 1, 'MENU_ERROR'), {
      ATTACH: null,
      KEYBOARD: null,
      MENU: null,
    });
  });
});

describe('BB-code the server reads', () => {
  it('normalises text, finds and strips mentions, finds command lines', () => {
    assert.equal(normalizeText('  a[BR]b[br]  '), 'a\nb');
    assert.deepEqual(mentionedIds('[USER=5]Bot[/USER] and [user=7]x[/user], [USER=5]again[/USER]'), [5, 7]);
    assert.equal(
      stripMentions('[USER=567]NewBot[/USER] , how to set up the left menu'),
      ', how to set up the left menu',
    );
    assert.equal(stripMentions('[USER=1]A[/USER], [USER=2]B[/USER], hi'), 'hi');
    assert.deepEqual(commandLines('/echo hello world\nplain\n/help\n / not'), [
      { command: 'echo', params: 'hello world' },
      { command: 'help', params: '' },
    ]);
  });
});
