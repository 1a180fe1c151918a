import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { CHANNEL_LIFETIME_MS } from '../../src/realtime/channels.ts';
import { pullFeature } from '../../src/realtime/pull-feature.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { appToken, pullConfig, TestSocket, v5Url } from '../helpers/pull.ts';

const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('pull.* methods', () => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: string;
  let userId: number;
  let user: string;
  let otherUserId: number;

  const rest = (method: string, token: string, params: Record<string, unknown> = {}) =>
    server.call(method, { ...params, auth: token }, `${server.url}/rest/`);

  before(async () => {
    server = await startTestServer({ clock, features: [pullFeature()] });
    userId = (await server.app.domain.users.create({ name: 'Una', last_name: 'User' })).id;
    otherUserId = (await server.app.domain.users.create({ name: 'Otto', last_name: 'Other' })).id;
    admin = (await appToken(server, 1)).token;
    user = (await appToken(server, userId)).token;
  });
  after(() => server.close());

  describe('pull.application.config.get', () => {
    it('answers the server version 5 config the SDK expects, URLs from this server', async () => {
      const config = await pullConfig(server, user);
      const host = new URL(server.url).host;
      assert.deepEqual(Object.keys(config), [
        'serverTime',
        'server',
        'api',
        'channels',
        'publicChannels',
        'jwt',
        'exp',
        'clientId',
      ]);
      assert.match(config.serverTime, ATOM);
      assert.deepEqual(config.server, {
        version: 5,
        server_enabled: true,
        mode: 'personal',
        hostname: host,
        long_polling: `${server.url}/sub/`,
        long_pooling_secure: `${server.url}/sub/`,
        websocket_enabled: true,
        websocket: `ws://${host}/subws/`,
        websocket_secure: `ws://${host}/subws/`,
        publish_enabled: false,
        publish: `${server.url}/pub/`,
        publish_secure: `${server.url}/pub/`,
        config_timestamp: config.server.config_timestamp,
      });
      assert.ok(Number.isInteger(config.server.config_timestamp));
      assert.deepEqual(config.api, { revision_web: 19, revision_mobile: 3 });
      const { private: own, shared } = config.channels;
      assert.deepEqual(Object.keys(own), ['id', 'public_id', 'start', 'end', 'type']);
      assert.deepEqual(Object.keys(shared), ['id', 'start', 'end', 'type']);
      assert.match(own.id, /^[0-9a-f]{32}$/);
      assert.match(own.public_id, /^[0-9a-f]{32}$/);
      assert.equal(own.type, 'private');
      assert.equal(shared.type, 'shared');
      assert.match(own.start, ATOM);
      assert.equal(Date.parse(own.end) - Date.parse(own.start), CHANNEL_LIFETIME_MS);
      assert.deepEqual(config.publicChannels, {
        [userId]: {
          user_id: userId,
          public_id: own.public_id,
          signature: config.publicChannels[userId].signature,
          start: own.start,
          end: own.end,
        },
      });
      assert.match(config.publicChannels[userId].signature, /^[0-9a-f]{40}$/);
      assert.equal(config.jwt.split('.').length, 3);
      assert.equal(config.exp, Math.floor(Date.parse(own.end) / 1000));
      assert.equal(config.clientId, null);
    });

    it('keeps the channels between calls; users have their own, the application one shared', async () => {
      const a = await pullConfig(server, user);
      const b = await pullConfig(server, user, { CACHE: 'Y' });
      const other = await pullConfig(server, (await appToken(server, otherUserId)).token);
      assert.equal(a.channels.private.id, b.channels.private.id);
      assert.notEqual(a.channels.private.id, other.channels.private.id);
      assert.equal(a.channels.shared.id, other.channels.shared.id);
    });

    it('gives each application its own channels, and the portal (pull.config.get) its own', async () => {
      const mine = await pullConfig(server, user);
      const theirs = await pullConfig(server, (await appToken(server, userId, 'local.other')).token);
      assert.notEqual(mine.channels.private.id, theirs.channels.private.id);
      assert.notEqual(mine.channels.shared.id, theirs.channels.shared.id);
      const portal = await server.call('pull.config.get', { CACHE: 'N' });
      assert.equal(portal.status, 200);
      assert.notEqual(portal.body.result.channels.private.id, mine.channels.private.id);
      assert.equal(portal.body.result.server.version, 5);
    });

    it('creates one channel per owner when the first calls race', async () => {
      const newcomer = (await server.app.domain.users.create({ name: 'New' })).id;
      const { token } = await appToken(server, newcomer);
      const configs = await Promise.all([1, 2, 3, 4, 5].map(() => pullConfig(server, token)));
      assert.equal(new Set(configs.map((c) => c.channels.private.id)).size, 1);
    });

    it('refuses webhooks with the page’s WRONG_AUTH_TYPE text', async () => {
      const res = await server.call('pull.application.config.get', {});
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, {
        error: 'WRONG_AUTH_TYPE',
        error_description: 'Get access to application config available only for application authorization.',
      });
    });
  });

  describe('channel renewal (REOPEN)', () => {
    it('renews an expired channel and tells its listeners with channel_expire', async () => {
      const config = await pullConfig(server, user);
      const own = config.channels.private.id;
      const shared = config.channels.shared.id;
      const byToken = await TestSocket.open(v5Url(config));
      const byIds = await TestSocket.open(`${config.server.websocket}?CHANNEL_ID=${own}/${shared}&format=json`);
      try {
        clock.advance(CHANNEL_LIFETIME_MS + 1000);
        // Access tokens live an hour: fresh ones for this and the later tests.
        user = (await appToken(server, userId)).token;
        admin = (await appToken(server, 1)).token;
        const expired = await pullConfig(server, user, { REOPEN: 'N' });
        assert.equal(expired.channels.private.id, own, 'REOPEN=N leaves it as it is');
        const fresh = await pullConfig(server, user);
        assert.notEqual(fresh.channels.private.id, own);
        assert.notEqual(fresh.channels.shared.id, shared);

        const expire = (await byToken.message()).body;
        assert.equal(expire.module_id, 'pull');
        assert.equal(expire.command, 'channel_expire');
        assert.equal(expire.params.action, 'get_config');
        const [classic] = JSON.parse(await byIds.next());
        assert.equal(classic.text.command, 'channel_expire');
        assert.equal(classic.text.params.action, 'reconnect');
        assert.deepEqual(classic.text.params.channel, { id: own, type: 'private' });
        assert.deepEqual(classic.text.params.new_channel, fresh.channels.private);

        const stale = await TestSocket.open(`${config.server.websocket}?CHANNEL_ID=${own}&format=json`);
        assert.equal((await stale.closedWith()).code, 4010);
        const renewed = await TestSocket.open(v5Url(fresh));
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(renewed.closed, undefined);
        renewed.close();
      } finally {
        byToken.close();
        byIds.close();
      }
    });
  });

  describe('pull.application.event.add', () => {
    it('sends to the application shared channel, or to the named users’ channels of that application', async () => {
      const config = await pullConfig(server, user);
      const portal = (await server.call('pull.config.get', {})).body.result;
      const otherApp = await pullConfig(server, (await appToken(server, userId, 'local.other')).token);
      const socket = await TestSocket.open(v5Url(config));
      const portalSocket = await TestSocket.open(v5Url(portal));
      const otherAppSocket = await TestSocket.open(v5Url(otherApp));
      try {
        assert.equal((await rest('pull.application.event.add', user, { COMMAND: 'everyone' })).body.result, true);
        const toShared = await socket.message();
        assert.deepEqual(
          [toShared.body.module_id, toShared.body.command, toShared.body.params],
          ['application', 'everyone', {}],
        );
        const res = await rest('pull.application.event.add', admin, {
          COMMAND: 'just_you',
          MODULE_ID: 'crm.grid',
          PARAMS: { id: 5, nested: { ok: true } },
          USER_ID: [userId, otherUserId],
        });
        assert.equal(res.body.result, true);
        const toUser = await socket.message();
        assert.deepEqual(
          [toUser.body.module_id, toUser.body.command, toUser.body.params],
          ['crm.grid', 'just_you', { id: 5, nested: { ok: true } }],
        );
        // Neither the portal channel nor another application's channel of the same user saw either event.
        await new Promise((resolve) => setTimeout(resolve, 30));
        assert.deepEqual(
          portalSocket.frames.filter((f) => f !== 'ping'),
          [],
        );
        assert.deepEqual(
          otherAppSocket.frames.filter((f) => f !== 'ping'),
          [],
        );
      } finally {
        socket.close();
        portalSocket.close();
        otherAppSocket.close();
      }
    });

    it('lets a user send to their own channel', async () => {
      const res = await rest('pull.application.event.add', user, { COMMAND: 'self', USER_ID: userId });
      assert.equal(res.body.result, true);
    });

    const errors: [string, () => string, Record<string, unknown>, number, string, string][] = [
      [
        'a webhook',
        () => '',
        { COMMAND: 'x' },
        403,
        'WRONG_AUTH_TYPE',
        'Get access to application config available only for application authorization.',
      ],
      [
        'a user naming someone else',
        () => user,
        { COMMAND: 'x', USER_ID: 1 },
        400,
        'USER_ID_ACCESS_ERROR',
        'Only admin can send notifications to other channels',
      ],
      [
        'a user naming self and someone else',
        () => user,
        { COMMAND: 'x', USER_ID: ['1', 'junk'] },
        400,
        'USER_ID_ACCESS_ERROR',
        'Only admin can send notifications to other channels',
      ],
      [
        'MODULE_ID with capitals',
        () => admin,
        { COMMAND: 'x', MODULE_ID: 'Crm' },
        400,
        'MODULE_ID_ERROR',
        'Module ID format error',
      ],
      [
        'MODULE_ID not a string',
        () => admin,
        { COMMAND: 'x', MODULE_ID: { a: 1 } },
        400,
        'MODULE_ID_ERROR',
        'Module ID format error',
      ],
      ['COMMAND missing', () => admin, {}, 400, 'COMMAND_ERROR', 'Command format error'],
      ['COMMAND with a space', () => admin, { COMMAND: 'two words' }, 400, 'COMMAND_ERROR', 'Command format error'],
      ['PARAMS a string', () => admin, { COMMAND: 'x', PARAMS: 'text' }, 400, 'PARAMS_ERROR', 'Params format error'],
    ];
    for (const [name, token, params, status, code, description] of errors) {
      it(`${name} → ${status} ${code}`, async () => {
        const t = token();
        const res = t
          ? await rest('pull.application.event.add', t, params)
          : await server.call('pull.application.event.add', params);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.deepEqual(res.body, { error: code, error_description: description });
      });
    }
  });

  describe('pull.application.push.add', () => {
    it('delivers a pull/mobile_push command to the users’ channels', async () => {
      const config = await pullConfig(server, user);
      const socket = await TestSocket.open(v5Url(config));
      try {
        const res = await rest('pull.application.push.add', admin, {
          USER_ID: [userId],
          TEXT: 'Hello, world!',
          AVATAR: 'https://example.com/a.png',
        });
        assert.equal(res.body.result, true);
        const { body } = await socket.message();
        assert.equal(body.module_id, 'pull');
        assert.equal(body.command, 'mobile_push');
        assert.deepEqual(body.params, {
          text: 'Hello, world!',
          avatar: 'https://example.com/a.png',
          app: { client_id: 'local.pulltest', title: 'Pull test' },
        });
      } finally {
        socket.close();
      }
    });

    it('refuses what the page refuses', async () => {
      const untitled = await server.app.domain.identities.createApp({ clientId: 'local.untitled' });
      const untitledToken = (await server.app.domain.identities.issueTokens(untitled, 1)).access_token;
      const cases: [string, Record<string, unknown>, number, string, string][] = [
        [
          user,
          { USER_ID: userId, TEXT: 'x' },
          400,
          'ACCESS_ERROR',
          'You do not have access to send push notifications',
        ],
        [admin, { USER_ID: userId, TEXT: ' ' }, 400, 'TEXT_ERROR', "Text can't be empty"],
        [
          untitledToken,
          { USER_ID: userId, TEXT: 'x' },
          400,
          'EMPTY_APP_NAME',
          "For send push-notification application name can't be empty",
        ],
        [admin, { TEXT: 'x' }, 400, 'USER_ID_EMPTY', "User ID can't be empty"],
      ];
      for (const [token, params, status, code, description] of cases) {
        const res = await rest('pull.application.push.add', token, params);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.deepEqual(res.body, { error: code, error_description: description });
      }
      const hook = await server.call('pull.application.push.add', { USER_ID: 1, TEXT: 'x' });
      assert.deepEqual(hook.body, {
        error: 'WRONG_AUTH_TYPE',
        error_description: 'Send push notifications available only for application authorization.',
      });
    });
  });

  it('advertises wss:// and https:// URLs when the server is reached over TLS', async () => {
    const behindTls = await startTestServer({
      db: server.db,
      config: { publicUrl: 'https://b24.example.com' },
      features: [pullFeature()],
    });
    try {
      const { port } = behindTls.app.fastify.server.address() as { port: number };
      const res = await behindTls.call('pull.config.get', {}, `http://127.0.0.1:${port}/rest/1/testtoken/`);
      assert.equal(res.body.result.server.websocket_secure, 'wss://b24.example.com/subws/');
      assert.equal(res.body.result.server.long_pooling_secure, 'https://b24.example.com/sub/');
      assert.equal(res.body.result.server.hostname, 'b24.example.com');
    } finally {
      await behindTls.close();
    }
  });

  it('without the pull feature the methods do not exist', async () => {
    const bare = await startTestServer({ db: server.db });
    try {
      const res = await bare.call('pull.config.get', {});
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'ERROR_METHOD_NOT_FOUND');
    } finally {
      await bare.close();
    }
  });
});
