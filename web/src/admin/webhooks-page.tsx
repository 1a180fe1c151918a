import { useCallback, useState } from 'preact/hooks';
import { formatDateTime, t } from '../i18n/i18n.ts';
import type { Rest } from '../rest.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, CopyField, FormError, Section, Table, useLoad, useSubmit } from './admin-kit.tsx';
import { ScopePicker } from './scope-picker.tsx';
import { PersonOptions, usePeople, userLabel } from './users-page.tsx';

interface AdminWebhook {
  id: number;
  user_id: number;
  token: string;
  scopes: string[];
  title: string;
  url: string;
  created_at: string;
}

export const scopeList = (scopes: string[]) => (scopes.length ? scopes.join(', ') : t('common.allScopes'));

export function WebhooksPage({ api, rest }: { api: AdminApi; rest: Rest }) {
  const hooks = useLoad(useCallback(() => api.get<AdminWebhook[]>('webhooks'), [api]));
  const { everyone, humans } = usePeople(api);
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
    if (!confirm(t('admin.webhooks.confirmDelete', { name: hook.title || hook.token }))) return;
    await api.delete(`webhooks/${hook.id}`);
    hooks.reload();
  };
  const columns: Column<AdminWebhook>[] = [
    { label: t('admin.webhooks.id'), cell: (h) => h.id },
    { label: t('admin.webhooks.title'), cell: (h) => h.title || '—' },
    { label: t('admin.webhooks.user'), cell: (h) => userLabel(everyone, h.user_id) },
    { label: t('admin.webhooks.scopes'), cell: (h) => scopeList(h.scopes), class: 'wrap' },
    {
      label: t('admin.webhooks.url'),
      cell: (h) => <CopyField label={t('admin.webhooks.urlOf', { id: h.id })} value={h.url} wide />,
    },
    { label: t('admin.webhooks.created'), class: 'date', cell: (h) => formatDateTime(h.created_at) },
    {
      label: t('common.actions'),
      hidden: true,
      cell: (h) => (
        <button
          type="button"
          class="danger"
          onClick={() => remove(h)}
          aria-label={t('admin.webhooks.deleteOne', { id: h.id })}
        >
          {t('common.delete')}
        </button>
      ),
    },
  ];
  return (
    <Section id="webhooks" title={t('admin.sections.webhooks')} error={hooks.error}>
      {hooks.value?.length === 0 && <p class="hint">{t('admin.webhooks.empty')}</p>}
      <Table caption={t('admin.webhooks.caption')} columns={columns} rows={hooks.value ?? []} rowKey={(h) => h.id} />
      <form class="card admin-form" onSubmit={submit.onSubmit} aria-labelledby="new-webhook">
        <h2 id="new-webhook">{t('admin.webhooks.create')}</h2>
        <div class="fields">
          <label>
            {t('admin.webhooks.actsAs')}
            <select value={form.user_id} onChange={(e) => setForm({ ...form, user_id: e.currentTarget.value })}>
              <PersonOptions people={humans} />
            </select>
          </label>
          <label>
            {t('admin.webhooks.title')}
            <input value={form.title} onInput={(e) => setForm({ ...form, title: e.currentTarget.value })} />
          </label>
        </div>
        <ScopePicker rest={rest} value={form.scopes} change={(scopes) => setForm({ ...form, scopes })} />
        <FormError text={submit.error} />
        {created && (
          <div class="ok" role="status">
            {t('admin.webhooks.done')}
            <CopyField label={t('admin.webhooks.newUrl')} value={created.url} wide />
          </div>
        )}
        <button type="submit" class="primary" disabled={submit.busy}>
          {t('admin.webhooks.submit')}
        </button>
      </form>
    </Section>
  );
}
