import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { ApiError } from '../wire/errors.ts';
import { nestQuery } from '../wire/params/nest.ts';
import { tooLargeDescription } from './too-large.ts';

/**
 * `multipart/form-data` (accepted by every method per b24restdocs): fields nest like a form body; a file part
 * becomes `[name, base64]`, the way Bitrix24 takes files inside params. The whole body counts against `limit`
 * (the framework's bodyLimit does not cover streamed parsers); going over it is REQUEST_TOO_LARGE.
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
    const tooLarge = () => new ApiError('REQUEST_TOO_LARGE', tooLargeDescription(limit));
    const pairs: string[] = [];
    let size = 0;
    let failed = false;
    // Settles once; stops reading and drains the rest of the request so the answer can be sent.
    const fail = (error: ApiError) => {
      if (failed) return;
      failed = true;
      stream.unpipe(parser);
      stream.resume();
      reject(error);
    };
    const count = (bytes: number) => {
      size += bytes;
      if (size > limit) fail(tooLarge());
    };
    parser.on('field', (name = '', value = '', info) => {
      // A part without a name (`Content-Disposition: form-data; name=""`) has none here: an empty key, not a throw
      // inside the parser's event, which left the request unanswered.
      if (info.valueTruncated) fail(tooLarge());
      count(name.length + value.length);
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    });
    parser.on('file', (name = '', file, info) => {
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => {
        count(chunk.length);
        if (!failed) chunks.push(chunk);
      });
      file.on('limit', () => fail(tooLarge()));
      file.on('end', () => {
        if (failed) return;
        const key = encodeURIComponent(name);
        const content = Buffer.concat(chunks).toString('base64');
        pairs.push(
          `${key}%5B0%5D=${encodeURIComponent(info.filename ?? '')}&${key}%5B1%5D=${encodeURIComponent(content)}`,
        );
      });
    });
    parser.on('error', () => fail(new ApiError('INVALID_REQUEST', 'Malformed multipart body', 400)));
    parser.on('close', () => {
      if (!failed) resolve(nestQuery(pairs.join('&')));
    });
    stream.pipe(parser);
  });
}
