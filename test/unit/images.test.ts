import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImage } from '../../src/domain/images.ts';
import { fileContent } from '../../src/methods/imbot/file-param.ts';
import { gif, jpeg, PNG_1X1, png, webpExtended, webpLossless, webpLossy } from '../helpers/images.ts';

describe('readImage', () => {
  const cases: [string, Buffer, string, number, number][] = [
    ['a real PNG', Buffer.from(PNG_1X1, 'base64'), 'image/png', 1, 1],
    ['PNG', png(640, 480), 'image/png', 640, 480],
    ['GIF', gif(300, 200), 'image/gif', 300, 200],
    ['baseline JPEG', jpeg(1024, 768), 'image/jpeg', 1024, 768],
    ['progressive JPEG', jpeg(5000, 10, 0xc2), 'image/jpeg', 5000, 10],
    ['lossy WebP', webpLossy(320, 240), 'image/webp', 320, 240],
    ['lossless WebP', webpLossless(4097, 33), 'image/webp', 4097, 33],
    ['extended WebP', webpExtended(6000, 2), 'image/webp', 6000, 2],
  ];
  for (const [name, data, mime, width, height] of cases) {
    it(`reads ${name}`, () => {
      const info = readImage(data);
      assert.equal(info?.mime, mime);
      assert.equal(info?.width, width);
      assert.equal(info?.height, height);
    });
  }

  it('skips JPEG segments that are not a frame header (DHT C4)', () => {
    const dht = Buffer.from([0xff, 0xc4, 0x00, 0x04, 0x00, 0x00]);
    const data = jpeg(77, 66);
    const withTable = Buffer.concat([data.subarray(0, 2), dht, data.subarray(2)]);
    assert.deepEqual([readImage(withTable)?.width, readImage(withTable)?.height], [77, 66]);
  });

  const rejects: [string, Buffer][] = [
    ['text', Buffer.from('hello, world, this is not an image at all')],
    ['an empty buffer', Buffer.alloc(0)],
    ['a truncated PNG', png(10, 10).subarray(0, 20)],
    ['a zero-sized PNG', png(0, 10)],
    ['a JPEG without a frame header', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ['a RIFF that is not WebP', Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(30)])],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n')],
  ];
  for (const [name, data] of rejects) {
    it(`rejects ${name}`, () => assert.equal(readImage(data), undefined));
  }
});

describe('fileContent (Base64 file params)', () => {
  const bytes = Buffer.from(PNG_1X1, 'base64');
  it('takes a Base64 string', () => assert.deepEqual(fileContent(PNG_1X1), bytes));
  it('takes a [name, base64] pair as list or form object', () => {
    assert.deepEqual(fileContent(['a.png', PNG_1X1]), bytes);
    assert.deepEqual(fileContent({ 0: 'a.png', 1: PNG_1X1 }), bytes);
  });
  it('tolerates a data: prefix and line breaks', () => {
    assert.deepEqual(fileContent(`data:image/png;base64,${PNG_1X1.slice(0, 40)}\n${PNG_1X1.slice(40)}`), bytes);
  });
  it('refuses what is not Base64', () => {
    assert.equal(fileContent('not base64!'), undefined);
    assert.equal(fileContent(''), undefined);
    assert.equal(fileContent(42), undefined);
    assert.equal(fileContent(undefined), undefined);
  });
});
