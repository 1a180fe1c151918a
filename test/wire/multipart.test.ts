import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseMultipart } from '../../src/http/multipart.ts';
import type { ApiError } from '../../src/wire/errors.ts';

/** The bytes and content type a browser or `fetch` would send for this form. */
async function encode(form: FormData): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const res = new Response(form);
  return {
    headers: { 'content-type': res.headers.get('content-type')! },
    body: Buffer.from(await res.arrayBuffer()),
  };
}

describe('wire: multipart/form-data parsing', () => {
  it('fields nest like a form; a file becomes [name, base64], also under a nested name', async () => {
    const form = new FormData();
    form.append('FILTER[ID]', '1');
    form.append('select[]', 'ID');
    form.append('select[]', 'NAME');
    form.append('fields[PERSONAL_PHOTO]', new Blob([Buffer.from('PNG bytes')]), 'me.png');
    form.append('FILE', new Blob([Buffer.from('plain')]), 'a b.txt');
    const { headers, body } = await encode(form);
    const params = await parseMultipart(headers, Readable.from([body]), 1024);
    assert.deepEqual(params, {
      FILTER: { ID: '1' },
      select: ['ID', 'NAME'],
      fields: { PERSONAL_PHOTO: ['me.png', Buffer.from('PNG bytes').toString('base64')] },
      FILE: ['a b.txt', Buffer.from('plain').toString('base64')],
    });
  });

  it('a part with an empty name is an empty key, not a throw that leaves the request unanswered (found by fuzzing)', async () => {
    const form = new FormData();
    form.append('', 'x');
    form.append('a', '1');
    const { headers, body } = await encode(form);
    const params = await parseMultipart(headers, Readable.from([body]), 1024);
    assert.equal((params as Record<string, unknown>).a, '1');
  });

  it('a body over the limit is REQUEST_TOO_LARGE, whether one big part or many small ones', async () => {
    const one = new FormData();
    one.append('file', new Blob([Buffer.alloc(2000)]), 'big.bin');
    const many = new FormData();
    for (let i = 0; i < 40; i++) many.append(`f${i}`, 'x'.repeat(100));
    const field = new FormData();
    field.append('text', 'y'.repeat(5000));
    for (const form of [one, many, field]) {
      const { headers, body } = await encode(form);
      await assert.rejects(parseMultipart(headers, Readable.from([body]), 1024), (e: ApiError) => {
        assert.equal(e.code, 'REQUEST_TOO_LARGE');
        return true;
      });
    }
  });

  it('no boundary or a broken body is INVALID_REQUEST', async () => {
    await assert.rejects(
      parseMultipart({ 'content-type': 'multipart/form-data' }, Readable.from([Buffer.from('x')]), 1024),
      (e: ApiError) => e.code === 'INVALID_REQUEST',
    );
  });
});
