import { BOT_TYPES } from '../../domain/bots.ts';
import { appKeyOf } from '../../domain/caller.ts';
import { ApiError } from '../../http/errors.ts';
import { p } from '../../http/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { botHandlers, botProfile } from './bot-profile.ts';

/** b24restdocs api-reference/chat-bots/outdated/bots/imbot-register.md */
export default defineMethod({
  name: 'imbot.register',
  scope: 'imbot',
  params: {
    CODE: p.string().optional(),
    TYPE: p
      .oneOf(...BOT_TYPES)
      .default('B')
      .invalid('WRONG_REQUEST'),
    OPENLINE: p.bool().default(false),
    PROPERTIES: p.object().optional().invalid('NAME_ERROR'),
    CLIENT_ID: p.string().optional(),
  },
  async handler({ params, caller, raw }, { domain }) {
    const handlers = botHandlers(raw, true);
    const code = params.CODE?.trim();
    if (!code) throw new ApiError('CODE_ERROR');
    const profile = botProfile(params.PROPERTIES ?? {});
    if (!profile.name && !profile.last_name) throw new ApiError('NAME_ERROR');
    const { bot } = await domain.bots.register({
      code,
      type: params.TYPE,
      openline: params.TYPE === 'O' || params.OPENLINE,
      appKey: appKeyOf(caller, params.CLIENT_ID),
      clientId: params.CLIENT_ID ?? '',
      registeredBy: caller.userId,
      handlers,
      profile,
    });
    return bot.id;
  },
});
