import { normalizeBackground, type V2Changes, v2Settings } from '../../domain/v2-bots.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineBotMethod } from './v2-bot-context.ts';
import { botAnswer, botAvatar, botProfile, checkTokenLength, eventMode, webhookUrl } from './v2-bot-fields.ts';

const FIELDS = {
  properties: p.object().optional(),
  isHidden: p.bool().optional(),
  isReactionsEnabled: p.bool().optional(),
  isSupportOpenline: p.bool().optional(),
  eventMode: p.string().optional(),
  webhookUrl: p.string().optional(),
  botToken: p.string().optional(),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/bots/bot-update.md. `fields.botToken` rotates the token of a webhook bot: the
 * call is authorized with the old one, which stops working at once (BOT_OWNERSHIP_ERROR afterwards); blank is
 * ignored. An OAuth application's bot has no token to rotate. `backgroundId: null` resets the background.
 * Switching to `webhook` needs a URL, given now or before (else BOT_INVALID_CALLBACK).
 */
export default defineBotMethod({
  name: 'imbot.v2.Bot.update',
  args: { fields: p.object() },
  async handler({ bot, args, caller }, services) {
    const { domain } = services;
    const fields = bindParams(FIELDS, args.fields, 'controller');
    const changes: V2Changes = {};
    if (fields.properties) {
      const { profile, avatar } = botProfile(fields.properties);
      const photo = await botAvatar(domain, avatar);
      if (photo) profile.personal_photo = photo;
      changes.profile = profile;
    }
    changes.isHidden = fields.isHidden;
    changes.isReactionsEnabled = fields.isReactionsEnabled;
    changes.isSupportOpenline = fields.isSupportOpenline;
    if ('backgroundId' in args.fields) changes.backgroundId = normalizeBackground(args.fields.backgroundId);
    changes.eventMode = eventMode(fields.eventMode);
    changes.webhookUrl = webhookUrl(fields.webhookUrl, services.config.handlerPolicy);
    const current = v2Settings(bot);
    if ((changes.eventMode ?? current.eventMode) === 'webhook' && !(changes.webhookUrl ?? current.webhookUrl)) {
      throw new ApiError('BOT_INVALID_CALLBACK');
    }
    const token = fields.botToken?.trim();
    if (token && !caller.app) changes.botToken = checkTokenLength(token);
    await domain.v2Bots.update(bot, changes);
    const updated = await domain.bots.get(bot.id);
    return botAnswer(services, updated!, true);
  },
});
