import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COLORS } from '../../src/domain/chats.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { PNG_1X1, png } from '../helpers/images.ts';
import { assertV2Error, v2OAuth, v2Register } from '../helpers/v2.ts';

describe('imbot.v2.Bot.*', () => {
  let server: TestServer;
  const botCount = async () => (await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM bots'))!.n;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  describe('register', () => {
    it('registers a fetch-mode bot through a webhook and answers {bot, users}', async () => {
      const res = await server.call('imbot.v2.Bot.register', {
        fields: {
          code: 'support_bot',
          botToken: 'my_bot_token',
          properties: { name: 'Support Bot', workPosition: 'AI Assistant' },
          type: 'bot',
          eventMode: 'fetch',
        },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { bot, users } = res.body.result;
      assert.deepEqual(bot, {
        id: bot.id,
        code: 'support_bot',
        type: 'bot',
        isHidden: false,
        isSupportOpenline: false,
        isReactionsEnabled: true,
        backgroundId: null,
        language: 'en',
        moduleId: 'rest',
        eventMode: 'fetch',
        countMessage: 0,
        countCommand: 0,
        countChat: 0,
        countUser: 0,
      });
      assert.equal(users.length, 1);
      assert.equal(users[0].id, bot.id);
      assert.equal(users[0].name, 'Support Bot');
      assert.equal(users[0].workPosition, 'AI Assistant');
      assert.equal(users[0].bot, true);
      assert.equal(users[0].type, 'bot');
      assert.equal(users[0].externalAuthId, 'bot');
      const row = await server.app.domain.bots.get(bot.id);
      assert.equal(row?.v2, true);
      assert.equal(row?.app_key, 'custommy_bot_token');
      assert.equal(row?.bot_token, 'my_bot_token');
    });

    it('is idempotent per application and code: the same bot, unchanged', async () => {
      const first = await server.call('imbot.v2.Bot.register', {
        fields: { code: 'idem', botToken: 'tok-idem', properties: { name: 'First' } },
      });
      const again = await server.call('imbot.v2.Bot.register', {
        fields: { code: 'idem', botToken: 'tok-idem', properties: { name: 'Second' }, isHidden: true },
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.result.bot.id, first.body.result.bot.id);
      assert.equal(again.body.result.users[0].name, 'First');
      assert.equal(again.body.result.bot.isHidden, false);
    });

    it('keeps the settings it was given: type, mode, background, colour, avatar', async () => {
      const res = await server.call('imbot.v2.Bot.register', {
        fields: {
          code: 'full',
          botToken: 'tok-full',
          properties: { name: 'Full', lastName: 'Bot', color: 'lightBlue', gender: 'F', avatar: PNG_1X1 },
          type: 'personal',
          eventMode: 'webhook',
          webhookUrl: 'https://bot.example/hook',
          isHidden: 'Y',
          isReactionsEnabled: false,
          isSupportOpenline: true,
          backgroundId: 'mint',
        },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { bot, users } = res.body.result;
      assert.equal(bot.type, 'personal');
      assert.equal(bot.eventMode, 'webhook');
      assert.equal(bot.isHidden, true);
      assert.equal(bot.isReactionsEnabled, false);
      assert.equal(bot.isSupportOpenline, true);
      assert.equal(bot.backgroundId, 'mint');
      assert.equal(users[0].name, 'Full Bot');
      assert.equal(users[0].color, COLORS.LIGHT_BLUE);
      assert.equal(users[0].gender, 'F');
      assert.match(users[0].avatar, /\/upload\/avatar\/\w+\.png$/);
      // A personal bot sees every message of its chats, as a v1 supervisor does.
      assert.equal((await server.app.domain.bots.get(bot.id))?.type, 'S');
    });

    it('normalizes an unknown background to null and ignores an unknown colour', async () => {
      const res = await server.call('imbot.v2.Bot.register', {
        fields: {
          code: 'bg',
          botToken: 'tok-bg',
          properties: { name: 'Bg', color: 'ultraviolet' },
          backgroundId: 'Mint',
        },
      });
      assert.equal(res.body.result.bot.backgroundId, null);
      assert.equal((await server.app.domain.users.get(res.body.result.bot.id))?.color, '');
    });

    it('registers through OAuth without a botToken; the application owns the bot', async () => {
      const { auth, base } = await v2OAuth(server, 'app.oauth.1');
      const res = await server.call(
        'imbot.v2.Bot.register',
        { fields: { code: 'oauth_bot', properties: { name: 'OAuth Bot' } }, auth },
        base,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await server.app.domain.bots.get(res.body.result.bot.id))?.app_key, 'app.oauth.1');
    });

    const refused: [string, Record<string, unknown>, number, string | number][] = [
      ['no fields', {}, 400, 100],
      ['fields not an object', { fields: 'x' }, 400, 100],
      [
        'webhook without botToken',
        { fields: { code: 'x1', properties: { name: 'X' } } },
        400,
        'BOT_TOKEN_NOT_SPECIFIED',
      ],
      [
        'a botToken over 40 characters',
        { fields: { code: 'x2', botToken: 't'.repeat(41), properties: { name: 'X' } } },
        400,
        'BOT_TOKEN_INVALID_LENGTH',
      ],
      ['no code', { fields: { botToken: 'tok-x', properties: { name: 'X' } } }, 400, 'BOT_CODE_REQUIRED'],
      ['no properties', { fields: { code: 'x3', botToken: 'tok-x' } }, 400, 'BOT_PROPERTIES_REQUIRED'],
      [
        'no name',
        { fields: { code: 'x4', botToken: 'tok-x', properties: { lastName: 'Y' } } },
        400,
        'BOT_PROPERTIES_REQUIRED',
      ],
      [
        'a name of the wrong type',
        { fields: { code: 'x5', botToken: 'tok-x', properties: { name: { a: 1 } } } },
        400,
        100,
      ],
      [
        'unknown type',
        { fields: { code: 'x6', botToken: 'tok-x', properties: { name: 'X' }, type: 'robot' } },
        400,
        'BOT_INVALID_TYPE',
      ],
      [
        'unknown event mode',
        { fields: { code: 'x7', botToken: 'tok-x', properties: { name: 'X' }, eventMode: 'push' } },
        400,
        'BOT_INVALID_EVENT_MODE',
      ],
      [
        'webhook mode without a URL',
        { fields: { code: 'x8', botToken: 'tok-x', properties: { name: 'X' }, eventMode: 'webhook' } },
        400,
        'BOT_WEBHOOK_URL_REQUIRED',
      ],
      [
        'a URL that is not http(s)',
        {
          fields: {
            code: 'x9',
            botToken: 'tok-x',
            properties: { name: 'X' },
            eventMode: 'webhook',
            webhookUrl: 'ftp://h/x',
          },
        },
        400,
        'BOT_INVALID_CALLBACK',
      ],
      [
        'an avatar that is no image',
        { fields: { code: 'x10', botToken: 'tok-x', properties: { name: 'X', avatar: 'aGVsbG8=' } } },
        400,
        'BOT_AVATAR_INCORRECT_TYPE',
      ],
      [
        'an avatar over 5000×5000',
        {
          fields: {
            code: 'x11',
            botToken: 'tok-x',
            properties: { name: 'X', avatar: png(5001, 10).toString('base64') },
          },
        },
        400,
        'BOT_AVATAR_INCORRECT_SIZE',
      ],
      [
        'isHidden of the wrong type',
        { fields: { code: 'x12', botToken: 'tok-x', properties: { name: 'X' }, isHidden: 'maybe' } },
        400,
        100,
      ],
      [
        'a code of another application',
        { fields: { code: 'support_bot', botToken: 'someone-else', properties: { name: 'X' } } },
        400,
        'BOT_CODE_ALREADY_TAKEN',
      ],
    ];
    for (const [name, params, status, code] of refused) {
      it(`${name} → ${code}, nothing registered`, async () => {
        const before = await botCount();
        assertV2Error(await server.call('imbot.v2.Bot.register', params), status, code);
        assert.equal(await botCount(), before);
      });
    }

    it('the binder names the missing argument', async () => {
      const res = await server.call('imbot.v2.Bot.register', {});
      assertV2Error(res, 400, 100, 'Could not find value for parameter {fields}');
    });

    it('a 101st bot of one application → BOT_LIMIT_EXCEEDED', async () => {
      for (let i = 0; i < 100; i++) {
        await server.app.domain.v2Bots.register({
          code: `many_${i}`,
          appKey: 'custommany',
          clientId: 'many',
          botToken: 'many',
          registeredBy: 1,
          type: 'bot',
          eventMode: 'fetch',
          webhookUrl: '',
          isHidden: false,
          isReactionsEnabled: true,
          isSupportOpenline: false,
          backgroundId: null,
          profile: { name: `Many ${i}` },
        });
      }
      const res = await server.call('imbot.v2.Bot.register', {
        fields: { code: 'many_100', botToken: 'many', properties: { name: 'One too many' } },
      });
      assertV2Error(res, 400, 'BOT_LIMIT_EXCEEDED');
      const list = await server.call('imbot.v2.Bot.list', { botToken: 'many', limit: 1000 });
      assert.equal(list.body.result.bots.length, 100);
    });
  });

  describe('get', () => {
    let id: number;
    before(async () => {
      id = await v2Register(server, 'tok-get', 'getter', { properties: { name: 'Getter' } });
    });

    it('by id and by code, extended for the owner', async () => {
      const byId = await server.call('imbot.v2.Bot.get', { botId: id, botToken: 'tok-get' });
      assert.equal(byId.status, 200);
      assert.equal(byId.body.result.bot.id, id);
      assert.equal(byId.body.result.bot.moduleId, 'rest');
      assert.equal(byId.body.result.users[0].name, 'Getter');
      const byCode = await server.call('imbot.v2.Bot.get', { code: 'getter', botToken: 'tok-get' });
      assert.deepEqual(byCode.body.result, byId.body.result);
    });

    it('brief for another application', async () => {
      const res = await server.call('imbot.v2.Bot.get', { botId: id, botToken: 'tok-other' });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body.result.bot), [
        'id',
        'code',
        'type',
        'isHidden',
        'isSupportOpenline',
        'isReactionsEnabled',
        'backgroundId',
        'language',
      ]);
    });

    it('errors', async () => {
      assertV2Error(await server.call('imbot.v2.Bot.get', { botId: id }), 400, 'BOT_TOKEN_NOT_SPECIFIED');
      assertV2Error(await server.call('imbot.v2.Bot.get', { botToken: 'tok-get' }), 400, 'PARAMS_REQUIRED');
      assertV2Error(
        await server.call('imbot.v2.Bot.get', { botId: 999999, botToken: 'tok-get' }),
        400,
        'BOT_NOT_FOUND',
      );
      assertV2Error(await server.call('imbot.v2.Bot.get', { botId: 'abc', botToken: 'tok-get' }), 400, 'BOT_NOT_FOUND');
      assertV2Error(await server.call('imbot.v2.Bot.get', { code: 'nope', botToken: 'tok-get' }), 400, 'BOT_NOT_FOUND');
      // A user is not a bot.
      assertV2Error(await server.call('imbot.v2.Bot.get', { botId: 1, botToken: 'tok-get' }), 400, 'BOT_NOT_FOUND');
    });
  });

  describe('list', () => {
    before(async () => {
      await v2Register(server, 'tok-list', 'list_a');
      await v2Register(server, 'tok-list', 'list_b', { type: 'supervisor' });
      await v2Register(server, 'tok-list', 'list_c');
    });

    it("lists the application's bots with their users, paged", async () => {
      const all = await server.call('imbot.v2.Bot.list', { botToken: 'tok-list' });
      assert.deepEqual(
        all.body.result.bots.map((b: { code: string }) => b.code),
        ['list_a', 'list_b', 'list_c'],
      );
      assert.equal(all.body.result.users.length, 3);
      assert.equal(all.body.result.hasNextPage, false);
      assert.equal(all.body.result.bots[0].eventMode, 'fetch');
      const first = await server.call('imbot.v2.Bot.list', { botToken: 'tok-list', limit: 2 });
      assert.equal(first.body.result.bots.length, 2);
      assert.equal(first.body.result.hasNextPage, true);
      const second = await server.call('imbot.v2.Bot.list', { botToken: 'tok-list', limit: 2, offset: 2 });
      assert.deepEqual(
        second.body.result.bots.map((b: { code: string }) => b.code),
        ['list_c'],
      );
      assert.equal(second.body.result.hasNextPage, false);
    });

    it('filters by type; an unknown type is an empty list', async () => {
      const sup = await server.call('imbot.v2.Bot.list', { botToken: 'tok-list', filter: { type: 'supervisor' } });
      assert.deepEqual(
        sup.body.result.bots.map((b: { code: string }) => b.code),
        ['list_b'],
      );
      const none = await server.call('imbot.v2.Bot.list', { botToken: 'tok-list', filter: { type: 'robot' } });
      assert.deepEqual(none.body.result, { bots: [], users: [], hasNextPage: false });
    });

    it('webhook without botToken → BOT_TOKEN_NOT_SPECIFIED; a wrong limit type → 100', async () => {
      assertV2Error(await server.call('imbot.v2.Bot.list', {}), 400, 'BOT_TOKEN_NOT_SPECIFIED');
      assertV2Error(await server.call('imbot.v2.Bot.list', { botToken: 'tok-list', limit: 'ten' }), 400, 100);
    });
  });

  describe('update', () => {
    let id: number;
    let otherId: number;
    before(async () => {
      id = await v2Register(server, 'tok-upd', 'updater', { properties: { name: 'Before' } });
      otherId = await v2Register(server, 'tok-upd-2', 'updater_2');
    });

    it('changes profile and settings and answers the bot', async () => {
      const res = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd',
        fields: { properties: { name: 'Updated Bot' }, isHidden: true, backgroundId: 'sky' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.result.bot.isHidden, true);
      assert.equal(res.body.result.bot.backgroundId, 'sky');
      assert.equal(res.body.result.users[0].name, 'Updated Bot');
      const reset = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd',
        fields: { backgroundId: null },
      });
      assert.equal(reset.body.result.bot.backgroundId, null);
      assert.equal(reset.body.result.bot.isHidden, true, 'untouched fields stay');
    });

    it('switches event mode; webhook needs a URL', async () => {
      assertV2Error(
        await server.call('imbot.v2.Bot.update', { botId: id, botToken: 'tok-upd', fields: { eventMode: 'webhook' } }),
        400,
        'BOT_INVALID_CALLBACK',
      );
      const res = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd',
        fields: { eventMode: 'webhook', webhookUrl: 'https://bot.example/h' },
      });
      assert.equal(res.body.result.bot.eventMode, 'webhook');
      const back = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd',
        fields: { eventMode: 'FETCH' },
      });
      assert.equal(back.body.result.bot.eventMode, 'fetch');
    });

    it('rotates the token: the old one loses the bot at once', async () => {
      const res = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd',
        fields: { botToken: 'tok-upd-new' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertV2Error(
        await server.call('imbot.v2.Bot.update', { botId: id, botToken: 'tok-upd', fields: { isHidden: false } }),
        403,
        'BOT_OWNERSHIP_ERROR',
      );
      const ok = await server.call('imbot.v2.Bot.get', { botId: id, botToken: 'tok-upd-new' });
      assert.equal(ok.body.result.bot.moduleId, 'rest', 'the new token owns it');
      // Rotating onto a token another bot holds fails without saying why.
      assertV2Error(
        await server.call('imbot.v2.Bot.update', {
          botId: id,
          botToken: 'tok-upd-new',
          fields: { botToken: 'tok-upd-2' },
        }),
        400,
        'BOT_TOKEN_ROTATION_FAILED',
      );
      assertV2Error(
        await server.call('imbot.v2.Bot.update', {
          botId: id,
          botToken: 'tok-upd-new',
          fields: { botToken: 'x'.repeat(41) },
        }),
        400,
        'BOT_TOKEN_INVALID_LENGTH',
      );
      const blank = await server.call('imbot.v2.Bot.update', {
        botId: id,
        botToken: 'tok-upd-new',
        fields: { botToken: '   ' },
      });
      assert.equal(blank.status, 200, 'a blank new token is ignored');
    });

    const t = 'tok-upd-new';
    const refused: [string, (id: number) => Record<string, unknown>, number, string | number][] = [
      ['no botToken', (botId) => ({ botId, fields: {} }), 400, 'BOT_TOKEN_NOT_SPECIFIED'],
      ['no botId', () => ({ botToken: t, fields: {} }), 400, 'BOT_ID_REQUIRED'],
      ['unknown bot', () => ({ botId: 999999, botToken: t, fields: {} }), 400, 'BOT_NOT_FOUND'],
      ['a negative botId', () => ({ botId: -1, botToken: t, fields: {} }), 400, 'BOT_NOT_FOUND'],
      [
        'invalid event mode',
        (botId) => ({ botId, botToken: t, fields: { eventMode: 'x' } }),
        400,
        'BOT_INVALID_EVENT_MODE',
      ],
      ['invalid URL', (botId) => ({ botId, botToken: t, fields: { webhookUrl: 'nope' } }), 400, 'BOT_INVALID_CALLBACK'],
      ['fields missing', (botId) => ({ botId, botToken: t }), 400, 100],
      ['isHidden of the wrong type', (botId) => ({ botId, botToken: t, fields: { isHidden: [1] } }), 400, 100],
    ];
    for (const [name, params, status, code] of refused) {
      it(`${name} → ${code}, nothing changed`, async () => {
        const before = await server.app.domain.bots.get(id);
        assertV2Error(await server.call('imbot.v2.Bot.update', params(id)), status, code);
        server.app.domain.bots.forget(id);
        assert.deepEqual(await server.app.domain.bots.get(id), before);
      });
    }

    it("another application's bot → BOT_OWNERSHIP_ERROR, unchanged", async () => {
      const res = await server.call('imbot.v2.Bot.update', {
        botId: otherId,
        botToken: 'tok-upd-new',
        fields: { properties: { name: 'Hijacked' } },
      });
      assertV2Error(res, 403, 'BOT_OWNERSHIP_ERROR');
      assert.equal((await server.app.domain.users.get(otherId))?.name, 'updater_2');
    });
  });

  describe('unregister', () => {
    it('deletes the bot; afterwards it is not found', async () => {
      const id = await v2Register(server, 'tok-del', 'deleted');
      assertV2Error(
        await server.call('imbot.v2.Bot.unregister', { botId: id, botToken: 'tok-x' }),
        403,
        'BOT_OWNERSHIP_ERROR',
      );
      const res = await server.call('imbot.v2.Bot.unregister', { botId: id, botToken: 'tok-del' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.result, { result: true });
      assertV2Error(await server.call('imbot.v2.Bot.get', { botId: id, botToken: 'tok-del' }), 400, 'BOT_NOT_FOUND');
      assertV2Error(
        await server.call('imbot.v2.Bot.unregister', { botId: id, botToken: 'tok-del' }),
        400,
        'BOT_NOT_FOUND',
      );
      assertV2Error(await server.call('imbot.v2.Bot.unregister', { botToken: 'tok-del' }), 400, 'BOT_ID_REQUIRED');
    });
  });

  describe('OAuth', () => {
    it('an application reaches its own bots without botToken, never a webhook bot', async () => {
      const { auth, base } = await v2OAuth(server, 'app.oauth.2');
      const reg = await server.call(
        'imbot.v2.Bot.register',
        { fields: { code: 'oauth_2', properties: { name: 'O2' } }, auth },
        base,
      );
      const id = reg.body.result.bot.id;
      const list = await server.call('imbot.v2.Bot.list', { auth }, base);
      assert.deepEqual(
        list.body.result.bots.map((b: { id: number }) => b.id),
        [id],
      );
      const upd = await server.call('imbot.v2.Bot.update', { botId: id, fields: { isHidden: true }, auth }, base);
      assert.equal(upd.body.result.bot.isHidden, true);
      const webhookBot = (await server.app.domain.bots.byCode('support_bot'))!.id;
      assertV2Error(
        await server.call('imbot.v2.Bot.update', { botId: webhookBot, fields: { isHidden: true }, auth }, base),
        403,
        'BOT_OWNERSHIP_ERROR',
      );
      assertV2Error(
        await server.call('imbot.v2.Bot.update', { botId: id, botToken: 'my_bot_token', fields: { isHidden: false } }),
        403,
        'BOT_OWNERSHIP_ERROR',
      );
    });
  });

  it('imbot.v2.Revision.get answers the revisions without botId or botToken', async () => {
    const res = await server.call('imbot.v2.Revision.get');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, { rest: 36, web: 130, mobile: 23, desktop: 6 });
  });
});
