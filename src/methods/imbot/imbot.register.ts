import { BOT_TYPES, MAX_APP_KEY, MAX_BOT_CODE } from '../../domain/bots.ts';
import { requireApplication } from '../../domain/caller.ts';
import { fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botHandlers, botPhoto, botProfile } from './bot-profile.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-register.md. After the param types, errors come in the
 * order of the page's table: application (ACCESS_DENIED), handlers, CODE, NAME, then the bot limit.
 */
export default defineMethod({
  name: 'imbot.register',
  scope: 'imbot',
  applicationFirst: true,
  params: {
    CODE: p.string().optional().invalid('CODE_ERROR'),
    TYPE: p
      .oneOf(...BOT_TYPES)
      .default('B')
      .invalid('WRONG_REQUEST', "Bot can't be created"),
    OPENLINE: p.bool().default(false),
    PROPERTIES: p.object().optional().invalid('NAME_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain, config }) {
    const appKey = requireApplication(caller, raw);
    const handlers = botHandlers(raw, true, config.handlerPolicy);
    const code = params.CODE?.trim();
    if (!code) throw fail('CODE_ERROR');
    // Past the platform's columns the bot cannot be stored: the page's error for a bot that cannot be created.
    if (code.length > MAX_BOT_CODE || appKey.length > MAX_APP_KEY) throw fail('WRONG_REQUEST', "Bot can't be created");
    const properties = params.PROPERTIES ?? {};
    const profile = botProfile(properties);
    if (!profile.name && !profile.last_name) throw fail('NAME_ERROR');
    const photo = await botPhoto(domain.avatars, properties);
    if (photo) profile.personal_photo = photo;
    const { bot } = await domain.bots.register({
      code,
      type: params.TYPE,
      // "For TYPE=O … the value will be forcibly set to Y"
      openline: params.TYPE === 'O' || params.OPENLINE,
      appKey,
      clientId: params.CLIENT_ID ?? '',
      registeredBy: caller.userId,
      handlers,
      profile,
    });
    return bot.id;
  },
});
