import assert from 'node:assert/strict';
import type { TestServer } from './harness.ts';

/** An OAuth application and a token of user 1 for it: call `server.call(method, {...params, auth}, base)`. */
export async function v2OAuth(server: TestServer, clientId: string): Promise<{ auth: string; base: string }> {
  const app = await server.app.domain.identities.createApp({ clientId });
  const grant = await server.app.domain.identities.issueTokens(app, 1);
  return { auth: grant.access_token, base: `${server.url}/rest/` };
}

/** Registers a v2 bot over the webhook with `botToken`; returns its id. */
export async function v2Register(
  server: TestServer,
  botToken: string,
  code: string,
  fields: Record<string, unknown> = {},
): Promise<number> {
  const res = await server.call('imbot.v2.Bot.register', {
    fields: { code, botToken, properties: { name: code }, ...fields },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.result.bot.id;
}

/** Asserts an error answer; `description` checked when given. */
export function assertV2Error(
  res: { status: number; body: any },
  status: number,
  code: string | number,
  description?: string,
): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error_description, 'string');
  if (description !== undefined) assert.equal(res.body.error_description, description);
  assert.equal(res.body.result, undefined);
}
