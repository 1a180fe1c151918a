import { useCallback, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.ts';
import type { Rest } from '../rest.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, CopyField, FormError, Section, Table, useLoad, useSubmit } from './admin-kit.tsx';
import { ScopePicker } from './scope-picker.tsx';
import { PersonOptions, usePeople } from './users-page.tsx';
import { scopeList } from './webhooks-page.tsx';

interface AdminApp {
  id: number;
  client_id: string;
  client_secret: string;
  application_token: string;
  scopes: string[];
  redirect_uri: string;
  title: string;
}

interface Grant {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user_id: number;
  scope: string;
}

export function AppsPage({ api, rest }: { api: AdminApi; rest: Rest }) {
  const apps = useLoad(useCallback(() => api.get<AdminApp[]>('apps'), [api]));
  const { humans } = usePeople(api);
  const [app, setApp] = useState({ title: '', redirect_uri: '', scopes: [] as string[] });
  const create = useSubmit(
    () => api.post<AdminApp>('apps', app),
    () => {
      setApp({ title: '', redirect_uri: '', scopes: [] });
      apps.reload();
    },
  );
  const [token, setToken] = useState({ client_id: '', user_id: '1' });
  const [grant, setGrant] = useState<Grant | null>(null);
  // Until one is picked, the first application is the one shown and the one used.
  const clientId = token.client_id || apps.value?.[0]?.client_id || '';
  const issue = useSubmit(() => api.post<Grant>('tokens', { ...token, client_id: clientId }), setGrant);
  const columns: Column<AdminApp>[] = [
    { label: t('admin.apps.title'), cell: (a) => a.title || '—' },
    { label: 'client_id', cell: (a) => <code>{a.client_id}</code>, class: 'wrap' },
    {
      label: 'client_secret',
      cell: (a) => <CopyField label={t('admin.apps.secretOf', { id: a.client_id })} value={a.client_secret} />,
    },
    {
      label: 'application_token',
      cell: (a) => <CopyField label={t('admin.apps.tokenOf', { id: a.client_id })} value={a.application_token} />,
    },
    { label: t('admin.apps.scopes'), cell: (a) => scopeList(a.scopes), class: 'wrap' },
    { label: t('admin.apps.redirectUri'), cell: (a) => a.redirect_uri || '—', class: 'wrap' },
  ];
  return (
    <Section id="apps" title={t('admin.sections.apps')} error={apps.error}>
      {apps.value?.length === 0 && <p class="hint">{t('admin.apps.empty')}</p>}
      <Table caption={t('admin.apps.caption')} columns={columns} rows={apps.value ?? []} rowKey={(a) => a.id} />
      <div class="two-forms">
        <form class="card admin-form" onSubmit={create.onSubmit} aria-labelledby="new-app">
          <h2 id="new-app">{t('admin.apps.create')}</h2>
          <div class="fields">
            <label>
              {t('admin.apps.title')}
              <input value={app.title} onInput={(e) => setApp({ ...app, title: e.currentTarget.value })} />
            </label>
            <label>
              {t('admin.apps.redirectUri')}
              <input
                type="url"
                placeholder="https://my-app.example/oauth"
                value={app.redirect_uri}
                onInput={(e) => setApp({ ...app, redirect_uri: e.currentTarget.value })}
              />
            </label>
          </div>
          <ScopePicker rest={rest} value={app.scopes} change={(scopes) => setApp({ ...app, scopes })} />
          <FormError text={create.error} />
          <button type="submit" class="primary" disabled={create.busy}>
            {t('admin.apps.submit')}
          </button>
        </form>
        <form class="card admin-form" onSubmit={issue.onSubmit} aria-labelledby="new-token">
          <h2 id="new-token">{t('admin.apps.issue')}</h2>
          <div class="fields">
            <label>
              {t('admin.apps.application')}
              <select value={clientId} onChange={(e) => setToken({ ...token, client_id: e.currentTarget.value })}>
                {(apps.value ?? []).map((a) => (
                  <option key={a.id} value={a.client_id}>
                    {a.title ? `${a.title} (${a.client_id})` : a.client_id}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('admin.apps.forUser')}
              <select value={token.user_id} onChange={(e) => setToken({ ...token, user_id: e.currentTarget.value })}>
                <PersonOptions people={humans} />
              </select>
            </label>
          </div>
          <FormError text={issue.error} />
          {grant && (
            <div class="ok grant" role="status">
              <span>{t('admin.apps.grant', { user: grant.user_id, count: Math.round(grant.expires_in / 60) })}</span>
              <CopyField label="access_token" value={grant.access_token} wide />
              <span>refresh_token:</span>
              <CopyField label="refresh_token" value={grant.refresh_token} wide />
            </div>
          )}
          <button type="submit" class="primary" disabled={issue.busy || !clientId}>
            {t('admin.apps.issueSubmit')}
          </button>
        </form>
      </div>
    </Section>
  );
}
