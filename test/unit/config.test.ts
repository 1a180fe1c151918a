import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/config-error.ts';

/** Issue 15 item 3: a setting that cannot work names the variable, the value and what is allowed. */
describe('invalid settings', () => {
  it('each names the variable, the value and what is allowed', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'http' }, /^PORT=http is not valid: a port number 0-65535/],
      [{ PORT: '70000' }, /^PORT=70000 is not valid: a port number 0-65535/],
      [{ PORT: '80.5' }, /^PORT=80\.5 is not valid/],
      [{ B24_TLS: 'maybe' }, /^B24_TLS=maybe is not valid: on or off/],
      [{ B24_DEV: 'sure' }, /^B24_DEV=sure is not valid: on or off/],
      [{ B24_LIMITS: 'huge' }, /^B24_LIMITS=huge is not valid: one of standard, enterprise, off/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL=loud is not valid: one of fatal, error, warn, info, debug, trace, silent/],
      [{ B24_BODY_LIMIT: '1e' }, /^B24_BODY_LIMIT=1e is not valid: bytes/],
      [{ B24_FILE_LIMIT: '-1' }, /^B24_FILE_LIMIT=-1 is not valid: bytes/],
      [{ B24_TYPING_TTL: 'soon' }, /^B24_TYPING_TTL=soon is not valid: seconds/],
      [{ B24_OPERATING_LIMIT: 'x' }, /^B24_OPERATING_LIMIT=x is not valid: seconds/],
      [
        { B24_PUBLIC_URL: 'b24.example.com' },
        /^B24_PUBLIC_URL=b24\.example\.com is not valid: an http:\/\/ or https:\/\//,
      ],
    ];
    for (const [env, pattern] of cases) {
      assert.throws(
        () => loadConfig(env),
        (error: Error) => error instanceof ConfigError && pattern.test(error.message),
      );
    }
  });

  it('names the flag that sets it too; an empty value is the default; on/off words in any case', () => {
    assert.throws(
      () => loadConfig({ PORT: 'x' }),
      (error: Error) => /^PORT=x is not valid: .* \(set by PORT or --port\)$/.test(error.message),
    );
    assert.equal(loadConfig({ B24_TLS: 'ON' }).tls, true);
    assert.equal(loadConfig({ B24_TLS: 'OFF', B24_DEV: 'no', PORT: '' }).dev, false);
    assert.equal(loadConfig({ PORT: '' }).port, 8080);
  });
});
