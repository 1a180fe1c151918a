#!/usr/bin/env node
// Copied from the shared conformance scripts (conformance/seed-examples.mjs) (the team's shared conformance scripts) so a clean clone
// runs it in CI; keep it in step with that file (this copy is formatted by Biome; the code is the same).
// Runs the request shapes of the imbot.chat.sendTyping reference page (../seed/) against a server.
// Usage:
//   B24_WEBHOOK_URL=http://127.0.0.1:8080/rest/1/secret/ \
//   [B24_ACCESS_TOKEN=... B24_REST_URL=http://127.0.0.1:8080/rest/] node seed-examples.mjs
// The webhook's user needs the imbot scope. Prints 'N passed, N failed'; exit 1 on any failure.

const webhook = process.env.B24_WEBHOOK_URL?.replace(/\/?$/, '/');
const restUrl = process.env.B24_REST_URL?.replace(/\/?$/, '/');
const accessToken = process.env.B24_ACCESS_TOKEN;
if (!webhook) {
  console.error('set B24_WEBHOOK_URL, e.g. http://127.0.0.1:8080/rest/1/secret/');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `  ${detail}`}`);
}

async function call(url, { json, form, query, method = 'POST' } = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = form;
  }
  const target = query ? `${url}?${query}` : url;
  const res = await fetch(target, { method, headers, body });
  const text = await res.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = { unparsable: text.slice(0, 200) };
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', data };
}

const TIME_FIELDS = {
  start: 'number',
  finish: 'number',
  duration: 'number',
  processing: 'number',
  date_start: 'string',
  date_finish: 'string',
  operating_reset_at: 'number',
  operating: 'number',
};
function timeBlockOk(time) {
  if (!time || typeof time !== 'object') return false;
  for (const [field, type] of Object.entries(TIME_FIELDS)) {
    if (typeof time[field] !== type) return false;
  }
  return time.finish >= time.start && !Number.isNaN(Date.parse(time.date_start));
}
function isTypingOk(name, r) {
  check(
    name,
    r.status === 200 && r.data.result === true && timeBlockOk(r.data.time),
    `status ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
  );
}
function isError(name, r, status, code, description) {
  check(
    name,
    r.status === status &&
      r.data.error === code &&
      typeof r.data.error_description === 'string' &&
      (!description || description.test(r.data.error_description)),
    `want ${status} ${code}, got ${r.status} ${JSON.stringify(r.data).slice(0, 300)}`,
  );
}

const clientId = `conf${Date.now()}`;
const otherClientId = `${clientId}x`;
const handler = 'http://127.0.0.1:9/bot-events';

// Set-up: a bot of our webhook "app", a bot of another app, a chat with the bot in it.
const me = await call(`${webhook}user.current`);
check(
  'user.current answers the webhook user',
  me.status === 200 && me.data.result?.ID !== undefined,
  JSON.stringify(me.data).slice(0, 200),
);
const userId = String(me.data.result?.ID ?? '1');

const reg = await call(`${webhook}imbot.register`, {
  json: {
    CODE: `${clientId}_bot`,
    TYPE: 'B',
    EVENT_HANDLER: handler,
    OPENLINE: 'N',
    PROPERTIES: { NAME: 'Conformance Bot', WORK_POSITION: 'Typing tester' },
    CLIENT_ID: clientId,
  },
});
check(
  'imbot.register returns a bot id',
  reg.status === 200 && Number(reg.data.result) > 0,
  JSON.stringify(reg.data).slice(0, 200),
);
const botId = Number(reg.data.result);

const regOther = await call(`${webhook}imbot.register`, {
  json: {
    CODE: `${otherClientId}_bot`,
    TYPE: 'B',
    EVENT_HANDLER: handler,
    PROPERTIES: { NAME: 'Other Bot' },
    CLIENT_ID: otherClientId,
  },
});
const otherBotId = Number(regOther.data.result);

const chat = await call(`${webhook}imbot.chat.add`, {
  json: { BOT_ID: botId, TYPE: 'CHAT', TITLE: 'Typing conformance', USERS: [Number(userId)], CLIENT_ID: clientId },
});
check(
  'imbot.chat.add returns a chat id',
  chat.status === 200 && Number(chat.data.result) > 0,
  JSON.stringify(chat.data).slice(0, 200),
);
const dialogChat = `chat${chat.data.result}`;

// The reference page's webhook example: JSON body, no .json suffix.
const typing = await call(`${webhook}imbot.chat.sendTyping`, {
  json: { BOT_ID: botId, DIALOG_ID: dialogChat, CLIENT_ID: clientId },
});
isTypingOk('webhook JSON: typing in a group chat', typing);
check('answers are JSON', typing.type.startsWith('application/json'), typing.type);

isTypingOk(
  'webhook JSON: typing in the private dialog with a user',
  await call(`${webhook}imbot.chat.sendTyping`, { json: { BOT_ID: botId, DIALOG_ID: userId, CLIENT_ID: clientId } }),
);
isTypingOk(
  'BOT_ID omitted: the first bot of the calling app',
  await call(`${webhook}imbot.chat.sendTyping`, { json: { DIALOG_ID: dialogChat, CLIENT_ID: clientId } }),
);
isTypingOk(
  'form-encoded POST to the .json suffix',
  await call(`${webhook}imbot.chat.sendTyping.json`, {
    form: `BOT_ID=${botId}&DIALOG_ID=${dialogChat}&CLIENT_ID=${clientId}`,
  }),
);
isTypingOk(
  'GET with query parameters',
  await call(`${webhook}imbot.chat.sendTyping`, {
    method: 'GET',
    query: `BOT_ID=${botId}&DIALOG_ID=${dialogChat}&CLIENT_ID=${clientId}`,
  }),
);

// The reference page's webhook example verbatim: BOT_ID and DIALOG_ID only, no CLIENT_ID. A portal refuses every
// imbot.* call made through a webhook without CLIENT_ID (the webhook has no application to act as): 403 ACCESS_DENIED
// "Access denied! Client ID not specified", as the register/update pages list it. Nothing is registered, nothing typed.
isError(
  'seed webhook example without CLIENT_ID: ACCESS_DENIED "Client ID not specified"',
  await call(`${webhook}imbot.chat.sendTyping`, { json: { BOT_ID: botId, DIALOG_ID: dialogChat } }),
  403,
  'ACCESS_DENIED',
  /Client ID not specified/,
);
isError(
  'imbot.register through a webhook without CLIENT_ID: ACCESS_DENIED',
  await call(`${webhook}imbot.register`, {
    json: { CODE: `${clientId}_plain`, TYPE: 'B', EVENT_HANDLER: handler, PROPERTIES: { NAME: 'Plain Webhook Bot' } },
  }),
  403,
  'ACCESS_DENIED',
  /Client ID not specified/,
);

// The reference page's errors.
isError(
  'DIALOG_ID missing',
  await call(`${webhook}imbot.chat.sendTyping`, { json: { BOT_ID: botId, CLIENT_ID: clientId } }),
  400,
  'DIALOG_ID_EMPTY',
);
isError(
  'DIALOG_ID empty string',
  await call(`${webhook}imbot.chat.sendTyping`, { json: { BOT_ID: botId, DIALOG_ID: '', CLIENT_ID: clientId } }),
  400,
  'DIALOG_ID_EMPTY',
);
isError(
  'unknown BOT_ID',
  await call(`${webhook}imbot.chat.sendTyping`, {
    json: { BOT_ID: 987654321, DIALOG_ID: dialogChat, CLIENT_ID: clientId },
  }),
  400,
  'BOT_ID_ERROR',
);
isError(
  'bot of another application',
  await call(`${webhook}imbot.chat.sendTyping`, {
    json: { BOT_ID: otherBotId, DIALOG_ID: dialogChat, CLIENT_ID: clientId },
  }),
  400,
  'APP_ID_ERROR',
);

const badToken = webhook.replace(/\/[^/]+\/$/, '/not-a-real-token/');
const denied = await call(`${badToken}imbot.chat.sendTyping`, { json: { BOT_ID: botId, DIALOG_ID: dialogChat } });
check(
  'a wrong webhook token is refused with 401 and an error code',
  denied.status === 401 && typeof denied.data.error === 'string',
  `${denied.status} ${JSON.stringify(denied.data)}`,
);

// The reference page's OAuth example: /rest/{method} with auth in the body.
if (restUrl && accessToken) {
  const oauthReg = await call(`${restUrl}imbot.register`, {
    json: {
      CODE: `${clientId}_oauth`,
      TYPE: 'B',
      EVENT_HANDLER: handler,
      PROPERTIES: { NAME: 'OAuth Bot' },
      auth: accessToken,
    },
  });
  const oauthBot = Number(oauthReg.data.result);
  check('OAuth: imbot.register', oauthReg.status === 200 && oauthBot > 0, JSON.stringify(oauthReg.data).slice(0, 200));
  isTypingOk(
    'OAuth JSON: typing with auth in the body',
    await call(`${restUrl}imbot.chat.sendTyping`, { json: { BOT_ID: oauthBot, DIALOG_ID: userId, auth: accessToken } }),
  );
  isError(
    "OAuth: a webhook app's bot is another application",
    await call(`${restUrl}imbot.chat.sendTyping`, { json: { BOT_ID: botId, DIALOG_ID: userId, auth: accessToken } }),
    400,
    'APP_ID_ERROR',
  );
  await call(`${restUrl}imbot.unregister`, { json: { BOT_ID: oauthBot, auth: accessToken } });
} else {
  console.log('note: B24_REST_URL/B24_ACCESS_TOKEN not set, OAuth examples not run');
}

await call(`${webhook}imbot.unregister`, { json: { BOT_ID: botId, CLIENT_ID: clientId } });
await call(`${webhook}imbot.unregister`, { json: { BOT_ID: otherBotId, CLIENT_ID: otherClientId } });

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
