import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';

// LICENSE by limits profile: the cloud plans whose request limits the server applies, or a self-hosted box when
// limits are off. Every answer has the page's three keys (LICENSE, LICENSE_TYPE, LICENSE_FAMILY), so code written
// against the example reads them whatever the profile.
const LICENSES = {
  enterprise: { LICENSE: 'en_ent250', LICENSE_TYPE: 'ent250', LICENSE_FAMILY: 'ent' },
  standard: { LICENSE: 'en_std', LICENSE_TYPE: 'std', LICENSE_FAMILY: 'std' },
  off: { LICENSE: 'en_selfhosted', LICENSE_TYPE: 'selfhosted', LICENSE_FAMILY: 'selfhosted' },
} as const;

/**
 * b24restdocs api-reference/common/system/app-info.md: the calling application. Outside an application context
 * (a webhook) → 400 ACCESS_DENIED "Access denied! Application context required", the status the page shows.
 */
export default defineMethod({
  name: 'app.info',
  scope: 'basic',
  params: {},
  async handler({ caller }, { domain, config }) {
    const app = caller.app && (await domain.identities.appById(caller.app.id));
    if (!app) throw new ApiError('ACCESS_DENIED', 'Access denied! Application context required', 400);
    return {
      ID: app.id,
      CODE: app.client_id,
      VERSION: 1, // local applications have no versions
      STATUS: 'L',
      INSTALLED: app.installed,
      PAYMENT_EXPIRED: 'N',
      DAYS: null,
      LANGUAGE_ID: 'en',
      ...LICENSES[config.limits],
    };
  },
});
