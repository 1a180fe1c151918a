import { BOT_TYPES, type BotType, MAX_APP_KEY, MAX_BOT_CODE, MAX_BOTS_PER_APP } from '../../domain/bots.ts';
import { requireApplication } from '../../domain/caller.ts';
import { isRecord } from '../../domain/json-param.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { p } from '../../wire/params/coerce.ts';
import { looseEquals, phpEmpty, phpString } from '../../wire/params/php.ts';
import { defineMethod } from '../define.ts';
import { botHandlers, botPhoto, botProfile } from './bot-profile.ts';

/**
 * b24restdocs api-reference/chat-bots/outdated/bots/imbot-register.md, checked as CIMRestService::botRegister
 * checks (docs/decisions.md, "Order of checks in the bot API"): application, handlers, CODE, the bot limit, then
 * the name. TYPE other than O, B, H, S (exactly) is B and OPENLINE is on only for "Y", as there.
 */
export default defineMethod({
  name: 'imbot.register',
  scope: 'imbot',
  applicationFirst: true,
  params: { CLIENT_ID: p.string().optional() },
  async handler({ params, caller, raw }, { domain, config }) {
    const appKey = requireApplication(caller, raw);
    const handlers = botHandlers(raw, true, config.handlerPolicy);
    const code = phpEmpty(raw.CODE) ? '' : phpString(raw.CODE).trim();
    if (!code) throw fail('CODE_ERROR');
    // Past the platform's columns the bot cannot be stored: the page's error for a bot that cannot be created.
    if (code.length > MAX_BOT_CODE || appKey.length > MAX_APP_KEY) throw fail('WRONG_REQUEST', "Bot can't be created");
    if ((await domain.bots.ofApp(appKey)).length >= MAX_BOTS_PER_APP) {
      throw new ApiError(
        'MAX_COUNT_ERROR',
        `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_APP})`,
      );
    }
    const type = BOT_TYPES.find((t) => t === raw.TYPE) ?? 'B';
    const properties = isRecord(raw.PROPERTIES) ? raw.PROPERTIES : {};
    const profile = botProfile(properties);
    // PHP isset, as botRegister and Bot::register check: a blank NAME is a name (CUser::Add takes it).
    if (!('name' in profile) && !('last_name' in profile)) throw fail('NAME_ERROR');
    const photo = await botPhoto(domain.avatars, properties);
    if (photo) profile.personal_photo = photo;
    const { bot } = await domain.bots.register({
      code,
      type: type as BotType,
      // "For TYPE=O … the value will be forcibly set to Y"
      openline: type === 'O' || looseEquals(raw.OPENLINE, 'Y'),
      appKey,
      clientId: params.CLIENT_ID ?? '',
      registeredBy: caller.userId,
      handlers,
      profile,
    });
    return bot.id;
  },
});
