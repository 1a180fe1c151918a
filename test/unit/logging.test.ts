import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { AnsweredCall } from '../../src/http/pipeline.ts';
import { logCall, redactUrl } from '../../src/logging.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

const call = (over: Partial<AnsweredCall>): AnsweredCall => ({
  method: 'imbot.message.add',
  params: {},
  status: 200,
  body: '{"result":1}',
  startMs: 0,
  durationMs: 12.4,
  ...over,
});

describe('logs people read', () => {
  it('logs one line per call: method, status, time, application and bot', () => {
    const { log, lines } = capture();
    const caller = { app: { clientId: 'echo' }, userId: 1, webhookId: null } as AnsweredCall['caller'];
    logCall(log, call({ caller, params: { BOT_ID: '2' } }));
    assert.equal(lines[0].msg, 'imbot.message.add 200 12 ms app=echo bot=2');
    assert.deepEqual(lines[0].call, { method: 'imbot.message.add', status: 200, ms: 12, app: 'echo' });
  });

  it('names the error code of a refused call and who made it, never the webhook code', () => {
    const { log, lines } = capture();
    const caller = { app: null, userId: 1, webhookId: 3 } as unknown as AnsweredCall['caller'];
    logCall(log, call({ caller, status: 400, body: '{"error":"BOT_ID_ERROR","error_description":"Bot not found"}' }));
    assert.equal(lines[0].msg, 'imbot.message.add 400 BOT_ID_ERROR 12 ms webhook=3 user=1');
  });

  it('masks webhook codes and tokens in URLs', () => {
    assert.equal(redactUrl('/rest/1/s3cr3t/imbot.register.json?x=1'), '/rest/1/***/imbot.register.json?x=1');
    assert.equal(redactUrl('//rest//1//s3cr3t/m'), '//rest//1//***/m');
    assert.equal(redactUrl('/rest/m?auth=tok&a=1&access_token=t2'), '/rest/m?auth=***&a=1&access_token=***');
  });

  it('pretty format: one readable line per call (pino-pretty, loaded only for it)', () => {
    const logging = new URL('../../src/logging.ts', import.meta.url).href;
    const script = `
      import { createLogger, logCall } from '${logging}';
      const log = createLogger({ logLevel: 'info', logFormat: 'pretty' });
      logCall(log, { method: 'im.message.add', params: {}, status: 200, body: '{}', startMs: 0, durationMs: 3 });`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    assert.match(output, /^\S*\d\d:\d\d:\d\d\S* \S*INFO\S*: \S*im\.message\.add 200 3 ms/);
    assert.equal(output.trim().split('\n').length, 1);
    assert.doesNotMatch(output, /\{"/, 'not JSON');
  });
});
