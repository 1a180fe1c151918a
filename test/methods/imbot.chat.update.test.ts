import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { chatColor } from '../../src/domain/chat-rules.ts';
import { COLORS } from '../../src/domain/chats.ts';
import { assertError, registerBot } from '../helpers/bots.ts';
import { startTestServer, type TestServer } from '../helpers/harness.ts';
import { jpeg, PNG_1X1, png, webpLossy } from '../helpers/images.ts';

// imbot.chat.updateTitle, imbot.chat.updateColor, imbot.chat.updateAvatar: any member bot may change the look
describe('imbot.chat.update*', () => {
  let server: TestServer;
  let member: number;
  let chatId: number;
  let privateId: number;
  const call = (method: string, clientId: string, params: Record<string, unknown>) =>
    server.call(method, { CLIENT_ID: clientId, ...params });
  const chat = async () => (await server.app.domain.chats.get(chatId))!;

  before(async () => {
    server = await startTestServer();
    await registerBot(server, 'own', 'owner-bot');
    member = await registerBot(server, 'mem', 'member-bot');
    await registerBot(server, 'out', 'outsider-bot');
    const ann = (await server.app.domain.users.create({ name: 'Ann' })).id;
    privateId = (await server.app.domain.chats.privateChat(member, ann)).id;
  });
  after(() => server.close());
  beforeEach(async () => {
    chatId = (await call('imbot.chat.add', 'own', { TITLE: 'Old', COLOR: 'RED', USERS: [member] })).body.result;
  });

  /** The common failures of the three methods, then the method's own. */
  function commonCases(method: string, valid: Record<string, unknown>, appIdError: string) {
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no CHAT_ID', 'mem', () => ({ ...valid }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      ['CHAT_ID zero', 'mem', () => ({ ...valid, CHAT_ID: '0' }), 400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"],
      [
        'an unknown bot',
        'mem',
        () => ({ ...valid, CHAT_ID: chatId, BOT_ID: 999999 }),
        400,
        'BOT_ID_ERROR',
        'Bot not found',
      ],
      [
        'another application’s bot',
        'out',
        () => ({ ...valid, CHAT_ID: chatId, BOT_ID: member }),
        400,
        'APP_ID_ERROR',
        appIdError,
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${method}: ${name} → ${status} ${code}`, async () => {
        const before = await chat();
        assertError(await call(method, clientId, params()), status, code, description);
        assert.deepEqual(await chat(), before);
      });
    }
  }

  describe('imbot.chat.updateTitle', () => {
    it('sets the trimmed title', async () => {
      const res = await call('imbot.chat.updateTitle', 'mem', { CHAT_ID: chatId, TITLE: ' \n New title \t' });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.equal((await chat()).title, 'New title');
    });

    commonCases('imbot.chat.updateTitle', { TITLE: 'x' }, 'Bot was installed by another rest application');
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no TITLE', 'mem', () => ({ CHAT_ID: chatId }), 400, 'TITLE_EMPTY', "Title can't be empty"],
      ['a blank TITLE', 'mem', () => ({ CHAT_ID: chatId, TITLE: ' \n ' }), 400, 'TITLE_EMPTY', "Title can't be empty"],
      [
        'TITLE an object',
        'mem',
        () => ({ CHAT_ID: chatId, TITLE: { a: 1 } }),
        400,
        'TITLE_EMPTY',
        "Title can't be empty",
      ],
      [
        'a private dialog',
        'mem',
        () => ({ CHAT_ID: privateId, TITLE: 'x' }),
        403,
        'ACCESS_ERROR',
        'This chat cannot be renamed',
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await call('imbot.chat.updateTitle', clientId, params()), status, code, description);
        assert.equal((await chat()).title, 'Old');
      });
    }

    // CIMRestService::chatUpdateTitle ignores what CIMChat::Rename returns
    it('a chat the bot is not in, or an unknown chat → true, nothing renamed', async () => {
      assert.equal((await call('imbot.chat.updateTitle', 'out', { CHAT_ID: chatId, TITLE: 'x' })).body.result, true);
      assert.equal((await call('imbot.chat.updateTitle', 'mem', { CHAT_ID: 999999, TITLE: 'x' })).body.result, true);
      assert.equal((await chat()).title, 'Old');
    });
  });

  describe('imbot.chat.updateColor', () => {
    it('sets any of the 16 colours, in any letter case', async () => {
      assert.equal(Object.keys(COLORS).length, 16);
      const res = await call('imbot.chat.updateColor', 'mem', { CHAT_ID: chatId, COLOR: 'light_blue' });
      assert.equal(res.status, 200);
      assert.equal(res.body.result, true);
      assert.equal((await chat()).color, 'LIGHT_BLUE');
    });

    it('the current colour again → WRONG_REQUEST, also when it was picked for the chat', async () => {
      const same = "This color currently set or chat isn't exists";
      assertError(
        await call('imbot.chat.updateColor', 'own', { CHAT_ID: chatId, COLOR: 'RED' }),
        400,
        'WRONG_REQUEST',
        same,
      );
      const plain = (await call('imbot.chat.add', 'own', {})).body.result;
      const picked = chatColor((await server.app.domain.chats.get(plain))!);
      assertError(
        await call('imbot.chat.updateColor', 'own', { CHAT_ID: plain, COLOR: picked }),
        400,
        'WRONG_REQUEST',
        same,
      );
    });

    commonCases('imbot.chat.updateColor', { COLOR: 'PINK' }, 'Bot was installed by another rest application');
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no COLOR', 'mem', () => ({ CHAT_ID: chatId }), 400, 'WRONG_COLOR', 'This color currently unavailable'],
      [
        'an unknown COLOR',
        'mem',
        () => ({ CHAT_ID: chatId, COLOR: 'BLUE' }),
        400,
        'WRONG_COLOR',
        'This color currently unavailable',
      ],
      [
        'a HEX COLOR',
        'mem',
        () => ({ CHAT_ID: chatId, COLOR: '#df532d' }),
        400,
        'WRONG_COLOR',
        'This color currently unavailable',
      ],
      [
        'an unknown chat',
        'mem',
        () => ({ CHAT_ID: 999999, COLOR: 'PINK' }),
        400,
        'WRONG_REQUEST',
        "This color currently set or chat isn't exists",
      ],
      // CIMChat::SetColor refuses both; chatUpdateColor's ACCESS_ERROR is the general chat's only
      [
        'a chat the bot is not in',
        'out',
        () => ({ CHAT_ID: chatId, COLOR: 'PINK' }),
        400,
        'WRONG_REQUEST',
        "This color currently set or chat isn't exists",
      ],
      [
        'a private dialog',
        'mem',
        () => ({ CHAT_ID: privateId, COLOR: 'PINK' }),
        400,
        'WRONG_REQUEST',
        "This color currently set or chat isn't exists",
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await call('imbot.chat.updateColor', clientId, params()), status, code, description);
        assert.equal((await chat()).color, 'RED');
      });
    }
  });

  describe('imbot.chat.updateAvatar', () => {
    for (const [name, image, ext] of [
      ['PNG', Buffer.from(PNG_1X1, 'base64'), 'png'],
      ['JPEG', jpeg(5000, 5000), 'jpg'],
      ['WebP', webpLossy(100, 100), 'webp'],
    ] as const) {
      it(`stores a ${name} and the chat points at it`, async () => {
        const res = await call('imbot.chat.updateAvatar', 'mem', { CHAT_ID: chatId, AVATAR: image.toString('base64') });
        assert.equal(res.status, 200);
        assert.equal(res.body.result, true);
        const path = (await chat()).avatar;
        assert.match(path, new RegExp(`^/upload/avatar/[0-9a-f]{32}\\.${ext}$`));
        assert.deepEqual((await server.app.domain.avatars.get(path))?.data, image);
      });
    }

    it('takes the [name, base64] pair form (AVATAR[0]=name&AVATAR[1]=base64)', async () => {
      const body = new URLSearchParams([
        ['CLIENT_ID', 'mem'],
        ['CHAT_ID', String(chatId)],
        ['AVATAR[0]', 'a.png'],
        ['AVATAR[1]', PNG_1X1],
      ]);
      const res = await fetch(`${server.webhook}imbot.chat.updateAvatar`, { method: 'POST', body });
      assert.equal(((await res.json()) as { result: boolean }).result, true);
      assert.match((await chat()).avatar, /\.png$/);
    });

    it('takes a multipart file upload', async () => {
      const form = new FormData();
      form.set('CLIENT_ID', 'mem');
      form.set('CHAT_ID', String(chatId));
      form.set('AVATAR', new Blob([Buffer.from(PNG_1X1, 'base64')], { type: 'image/png' }), 'a.png');
      const res = await fetch(`${server.webhook}imbot.chat.updateAvatar`, { method: 'POST', body: form });
      assert.equal(((await res.json()) as { result: boolean }).result, true);
      assert.match((await chat()).avatar, /\.png$/);
    });

    commonCases('imbot.chat.updateAvatar', { AVATAR: PNG_1X1 }, 'Bot was installed by another rest application');
    const cases: [string, string, () => Record<string, unknown>, number, string, string][] = [
      ['no AVATAR', 'mem', () => ({ CHAT_ID: chatId }), 400, 'AVATAR_ERROR', 'Avatar incorrect type'],
      [
        'AVATAR not Base64',
        'mem',
        () => ({ CHAT_ID: chatId, AVATAR: '!!!' }),
        400,
        'AVATAR_ERROR',
        'Avatar incorrect type',
      ],
      [
        'AVATAR a text file',
        'mem',
        () => ({ CHAT_ID: chatId, AVATAR: Buffer.from('<svg/>').toString('base64') }),
        400,
        'AVATAR_ERROR',
        'Avatar incorrect type',
      ],
      [
        'AVATAR wider than 5000',
        'mem',
        () => ({ CHAT_ID: chatId, AVATAR: png(5001, 1).toString('base64') }),
        400,
        'AVATAR_ERROR',
        'Avatar incorrect size (max 5000x5000)',
      ],
      [
        'AVATAR taller than 5000',
        'mem',
        () => ({ CHAT_ID: chatId, AVATAR: jpeg(1, 5001).toString('base64') }),
        400,
        'AVATAR_ERROR',
        'Avatar incorrect size (max 5000x5000)',
      ],
      [
        'an unknown chat',
        'mem',
        () => ({ CHAT_ID: 999999, AVATAR: PNG_1X1 }),
        400,
        'WRONG_REQUEST',
        "Chat isn't exists",
      ],
      // CIMDisk::UpdateAvatarId refuses it; chatUpdateAvatar has one answer for that
      [
        'a chat the bot is not in',
        'out',
        () => ({ CHAT_ID: chatId, AVATAR: PNG_1X1 }),
        400,
        'WRONG_REQUEST',
        "Chat isn't exists",
      ],
      [
        'a private dialog',
        'mem',
        () => ({ CHAT_ID: privateId, AVATAR: PNG_1X1 }),
        403,
        'ACCESS_ERROR',
        'The avatar of this chat cannot be changed',
      ],
    ];
    for (const [name, clientId, params, status, code, description] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        assertError(await call('imbot.chat.updateAvatar', clientId, params()), status, code, description);
        assert.equal((await chat()).avatar, '');
      });
    }

    it('failures store no avatar', async () => {
      await server.db.query('DELETE FROM avatars');
      await call('imbot.chat.updateAvatar', 'out', { CHAT_ID: chatId, AVATAR: PNG_1X1 });
      await call('imbot.chat.updateAvatar', 'mem', { CHAT_ID: 999999, AVATAR: PNG_1X1 });
      const stored = await server.db.one<{ n: number }>('SELECT count(*)::int AS n FROM avatars');
      assert.equal(stored?.n, 0);
    });
  });
});
