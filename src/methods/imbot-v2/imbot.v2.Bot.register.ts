import { MAX_BOT_CODE } from '../../domain/bots.ts';
import { normalizeBackground, V2_BOT_TYPES } from '../../domain/v2-bots.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { v2Application } from './v2-bot-context.ts';
import { botAnswer, botAvatar, botProfile, checkTokenLength, eventMode, webhookUrl } from './v2-bot-fields.ts';

const FIELDS = {
  code: p.string().optional(),
  botToken: p.string().optional(),
  properties: p.object().optional(),
  type: p.string().optional(),
  eventMode: p.string().optional(),
  webhookUrl: p.string().optional(),
  isHidden: p.bool().default(false),
  isReactionsEnabled: p.bool().default(true),
  isSupportOpenline: p.bool().default(false),
  backgroundId: p.any().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/bots/bot-register.md. Idempotent per application and code: a repeated call
 * returns the existing bot unchanged. Through a webhook the bot belongs to `fields.botToken` (or a top-level
 * `botToken`, as quick-start.md sends it); through OAuth to the application (a botToken is not needed nor kept).
 */
export default defineMethod({
  name: 'imbot.v2.Bot.register',
  scope: 'imbot',
  params: {},
  async handler({ caller, raw }, services) {
    const { fields: rawFields } = bindParams({ fields: p.object() }, raw, 'controller');
    const fields = bindParams(FIELDS, rawFields, 'controller');
    // quick-start.md sends the token beside `fields` rather than in it; both are read, `fields` first.
    const given = fields.botToken ?? (typeof raw.botToken === 'string' ? raw.botToken : undefined);
    const token = caller.app ? undefined : checkTokenLength(given?.trim() ?? '');
    const appKey = v2Application(caller, token);
    const code = fields.code?.trim();
    if (!code) throw new ApiError('BOT_CODE_REQUIRED');
    // Past the platform's b_im_bot CODE column the bot cannot be stored.
    if (code.length > MAX_BOT_CODE) throw new ApiError('BOT_REGISTER_FAILED');
    if (!fields.properties) throw new ApiError('BOT_PROPERTIES_REQUIRED');
    const { profile, name, avatar } = botProfile(fields.properties);
    if (!name) throw new ApiError('BOT_PROPERTIES_REQUIRED');
    const type = (fields.type ?? 'bot').trim().toLowerCase();
    if (!(type in V2_BOT_TYPES)) throw new ApiError('BOT_INVALID_TYPE');
    const mode = eventMode(fields.eventMode) ?? 'fetch';
    const url = webhookUrl(fields.webhookUrl, services.config.handlerPolicy);
    if (mode === 'webhook' && !url) throw new ApiError('BOT_WEBHOOK_URL_REQUIRED');
    const photo = await botAvatar(services.domain, avatar);
    if (photo) profile.personal_photo = photo;
    const { bot } = await services.domain.v2Bots.register({
      code,
      appKey,
      clientId: token ?? '',
      botToken: token ?? null,
      registeredBy: caller.userId,
      type,
      eventMode: mode,
      webhookUrl: url ?? '',
      isHidden: fields.isHidden,
      isReactionsEnabled: fields.isReactionsEnabled,
      isSupportOpenline: fields.isSupportOpenline,
      backgroundId: normalizeBackground(fields.backgroundId),
      profile,
    });
    return botAnswer(services, bot, true);
  },
});
