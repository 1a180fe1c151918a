import { useCallback, useState } from 'preact/hooks';
import type { Rest } from '../rest.ts';
import type { AdminApi } from './admin-api.ts';
import { CopyField, Section, useLoad, useSubmit } from './admin-kit.tsx';
import { ScopePicker } from './scope-picker.tsx';
import { PersonOptions, usePeople } from './users-page.tsx';

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
  const humans = usePeople(api);
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
  const issue = useSubmit(
    () => api.post<Grant>('tokens', { ...token, client_id: token.client_id || apps.value?.[0]?.client_id }),
    setGrant,
  );
  return (
    <Section title="OAuth apps & tokens" error={apps.error}>
      <table>
        <caption class="visually-hidden">Local OAuth applications</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">client_id</th>
            <th scope="col">client_secret</th>
            <th scope="col">application_token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Redirect URI</th>
          </tr>
        </thead>
        <tbody>
          {(apps.value ?? []).map((a) => (
            <tr key={a.id}>
              <td>{a.title || '—'}</td>
              <td>
                <code>{a.client_id}</code>
              </td>
              <td>
                <CopyField label={`client_secret of ${a.client_id}`} value={a.client_secret} />
              </td>
              <td>
                <CopyField label={`application_token of ${a.client_id}`} value={a.application_token} />
              </td>
              <td>{a.scopes.length ? a.scopes.join(', ') : 'all'}</td>
              <td>{a.redirect_uri || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="two-forms">
        <form class="card admin-form" onSubmit={create.onSubmit} aria-labelledby="new-app">
          <h2 id="new-app">Create an app</h2>
          <div class="fields">
            <label>
              Title
              <input value={app.title} onInput={(e) => setApp({ ...app, title: e.currentTarget.value })} />
            </label>
            <label>
              Redirect URI
              <input
                type="url"
                placeholder="https://my-app.example/oauth"
                value={app.redirect_uri}
                onInput={(e) => setApp({ ...app, redirect_uri: e.currentTarget.value })}
              />
            </label>
          </div>
          <ScopePicker rest={rest} value={app.scopes} change={(scopes) => setApp({ ...app, scopes })} />
          {create.error && (
            <p class="error" role="alert">
              {create.error}
            </p>
          )}
          <button type="submit" class="primary" disabled={create.busy}>
            Create app
          </button>
        </form>
        <form class="card admin-form" onSubmit={issue.onSubmit} aria-labelledby="new-token">
          <h2 id="new-token">Issue a token</h2>
          <div class="fields">
            <label>
              Application
              <select
                value={token.client_id}
                onChange={(e) => setToken({ ...token, client_id: e.currentTarget.value })}
              >
                {(apps.value ?? []).map((a) => (
                  <option key={a.id} value={a.client_id}>
                    {a.title || a.client_id}
                  </option>
                ))}
              </select>
            </label>
            <label>
              For user
              <select value={token.user_id} onChange={(e) => setToken({ ...token, user_id: e.currentTarget.value })}>
                <PersonOptions people={humans} />
              </select>
            </label>
          </div>
          {issue.error && (
            <p class="error" role="alert">
              {issue.error}
            </p>
          )}
          {grant && (
            <div class="ok grant" role="status">
              <span>
                Token for user #{grant.user_id}, valid {Math.round(grant.expires_in / 60)} min:
              </span>
              <CopyField label="access_token" value={grant.access_token} wide />
              <span>refresh_token:</span>
              <CopyField label="refresh_token" value={grant.refresh_token} wide />
            </div>
          )}
          <button type="submit" class="primary" disabled={issue.busy}>
            Issue token
          </button>
        </form>
      </div>
    </Section>
  );
}
