import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signToken, verifyToken } from '../../src/realtime/jwt.ts';

describe('pull jwt', () => {
  const claims = { sub: 5, chn: ['a'.repeat(32), 'b'.repeat(32)], exp: 2000 };
  const token = signToken(claims, 'secret');

  it('verifies its own tokens until they expire', () => {
    assert.deepEqual(verifyToken(token, 'secret', 1999), claims);
    assert.equal(verifyToken(token, 'secret', 2000), null);
  });

  it('refuses another secret, a changed payload, and junk', () => {
    assert.equal(verifyToken(token, 'other', 0), null);
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 1 })).toString('base64url');
    assert.equal(verifyToken(`${head}.${forged}.${sig}`, 'secret', 0), null);
    for (const junk of ['', 'a.b', 'a.b.c', `${head}..${sig}`]) assert.equal(verifyToken(junk, 'secret', 0), null);
  });
});
