import type { Readable } from 'node:stream';
import busboy from 'busboy';
import qs from 'qs';
import { ApiError } from './errors.ts';
import { nestQuery } from './params/nest.ts';

/**
 * `multipart/form-data` (accepted by every method per b24restdocs): fields nest like a form body; a file part
 * becomes `[name, base64]`, the way Bitrix24 takes files inside params.
 */
export function parseMultipart(headers: Record<string, unknown>, stream: Readable, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: headers as busboy.BusboyConfig['headers'],
        limits: { fileSize: limit, fieldSize: limit },
      });
    } catch {
      reject(new ApiError('INVALID_REQUEST', 'Malformed multipart body', 400));
      return;
    }
    const pairs: string[] = [];
    const files: Promise<void>[] = [];
    parser.on('field', (name, value) => pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`));
    parser.on('file', (name, file, info) => {
      files.push(
        new Promise((done, fail) => {
          const chunks: Buffer[] = [];
          file.on('data', (c: Buffer) => chunks.push(c));
          file.on('limit', () => fail(new ApiError('REQUEST_TOO_LARGE')));
          file.on('end', () => {
            const value = qs.stringify({ x: [info.filename, Buffer.concat(chunks).toString('base64')] });
            pairs.push(value.replace(/^x/, encodeURIComponent(name)));
            done();
          });
        }),
      );
    });
    parser.on('error', () => reject(new ApiError('INVALID_REQUEST', 'Malformed multipart body', 400)));
    parser.on('close', () => {
      Promise.all(files).then(() => resolve(nestQuery(pairs.join('&'))), reject);
    });
    stream.pipe(parser);
  });
}
