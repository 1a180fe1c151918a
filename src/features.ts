import { adminApi } from './admin/api.ts';
import type { Feature } from './app.ts';
import { type Control, controlApi } from './control/index.ts';
import { eventDelivery } from './delivery/event-delivery.ts';
import { avatarsRoute } from './files/avatars-route.ts';
import { fileDownloads } from './files/file-downloads.ts';
import { oauthServer } from './oauth/index.ts';
import { pullFeature } from './realtime/pull-feature.ts';
import { WEB_CLIENT_ID, webMessenger } from './web/index.ts';

export interface FeatureOptions {
  /** Bearer token of the admin API for this process (the CLI reads it from `<data>/server.json`). */
  adminToken: string;
  /** Mount the control API (`B24_CONTROL`, on unless turned off). */
  control?: boolean;
  /** Receives the control API's parts (the in-process API drives them directly). */
  exposeControl?: (control: Control) => void;
}

/** The subsystems mounted on a full server, in order. Tests pick the ones they need. */
export function features(options: FeatureOptions): Feature[] {
  return [
    oauthServer,
    adminApi({ adminToken: options.adminToken, userTokensOf: WEB_CLIENT_ID }),
    pullFeature(),
    webMessenger,
    eventDelivery({ adminToken: options.adminToken, userTokensOf: WEB_CLIENT_ID }),
    fileDownloads,
    avatarsRoute,
    ...(options.control
      ? [
          controlApi(
            { adminToken: options.adminToken, userTokensOf: WEB_CLIENT_ID, peopleUse: WEB_CLIENT_ID },
            options.exposeControl,
          ),
        ]
      : []),
  ];
}
