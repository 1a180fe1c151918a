import { useCallback, useState } from 'preact/hooks';
import type { Rest } from '../rest.ts';
import type { AdminApi } from './admin-api.ts';
import { CopyField, Section, useLoad, useSubmit, when } from './admin-kit.tsx';
import { ScopePicker } from './scope-picker.tsx';
import { PersonOptions, usePeople } from './users-page.tsx';

interface AdminWebhook {
  id: number;
  user_id: number;
  token: string;
  scopes: string[];
  title: string;
  url: string;
  created_at: string;
}

export function WebhooksPage({ api, rest }: { api: AdminApi; rest: Rest }) {
  const hooks = useLoad(useCallback(() => api.get<AdminWebhook[]>('webhooks'), [api]));
  const humans = usePeople(api);
  const [form, setForm] = useState({ user_id: '1', title: '', scopes: [] as string[] });
  const [created, setCreated] = useState<AdminWebhook | null>(null);
  const submit = useSubmit(
    () => api.post<AdminWebhook>('webhooks', form),
    (hook) => {
      setCreated(hook);
      setForm({ ...form, title: '', scopes: [] });
      hooks.reload();
    },
  );
  const remove = async (hook: AdminWebhook) => {
    if (!confirm(`Delete webhook “${hook.title || hook.token}”? Callers using it will get NO_AUTH_FOUND.`)) return;
    await api.delete(`webhooks/${hook.id}`);
    hooks.reload();
  };
  return (
    <Section title="Webhooks" error={hooks.error}>
      <table>
        <caption class="visually-hidden">Inbound webhooks</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Title</th>
            <th scope="col">User</th>
            <th scope="col">Scopes</th>
            <th scope="col">URL</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(hooks.value ?? []).map((h) => (
            <tr key={h.id}>
              <td>{h.id}</td>
              <td>{h.title || '—'}</td>
              <td>#{h.user_id}</td>
              <td>{h.scopes.length ? h.scopes.join(', ') : 'all'}</td>
              <td>
                <CopyField label={`URL of webhook ${h.id}`} value={h.url} wide />
              </td>
              <td>{when(h.created_at)}</td>
              <td>
                <button type="button" class="danger" onClick={() => remove(h)} aria-label={`Delete webhook ${h.id}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card admin-form" onSubmit={submit.onSubmit} aria-labelledby="new-webhook">
        <h2 id="new-webhook">Create a webhook</h2>
        <div class="fields">
          <label>
            Acts as user
            <select value={form.user_id} onChange={(e) => setForm({ ...form, user_id: e.currentTarget.value })}>
              <PersonOptions people={humans} />
            </select>
          </label>
          <label>
            Title
            <input value={form.title} onInput={(e) => setForm({ ...form, title: e.currentTarget.value })} />
          </label>
        </div>
        <ScopePicker rest={rest} value={form.scopes} change={(scopes) => setForm({ ...form, scopes })} />
        {submit.error && (
          <p class="error" role="alert">
            {submit.error}
          </p>
        )}
        {created && (
          <div class="ok" role="status">
            Webhook created. Its URL:
            <CopyField label="New webhook URL" value={created.url} wide />
          </div>
        )}
        <button type="submit" class="primary" disabled={submit.busy}>
          Create webhook
        </button>
      </form>
    </Section>
  );
}
