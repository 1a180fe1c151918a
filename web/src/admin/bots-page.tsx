import { useCallback } from 'preact/hooks';
import { formatDateTime, t } from '../i18n/i18n.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, Section, Table, useLoad } from './admin-kit.tsx';

interface AdminBot {
  id: number;
  code: string;
  type: string;
  name: string;
  app_key: string;
  handlers: Record<string, string>;
  created_at: string;
}

/** Bots of one name are told apart by their CODE and the application that registered them. */
export function BotsPage({ api }: { api: AdminApi }) {
  const { value: rows, error } = useLoad(useCallback(() => api.get<AdminBot[]>('bots'), [api]));
  const apps = useLoad(useCallback(() => api.get<{ client_id: string; title: string }[]>('apps'), [api]));
  const appTitle = (key: string) => apps.value?.find((a) => a.client_id === key)?.title;
  const columns: Column<AdminBot>[] = [
    { label: t('admin.bots.id'), cell: (b) => b.id },
    {
      label: t('admin.bots.name'),
      cell: (b) => (
        <>
          <strong>{b.name}</strong>
          <div>
            <code class="bot-code">{b.code}</code>
          </div>
        </>
      ),
    },
    { label: t('admin.bots.type'), cell: (b) => b.type },
    {
      label: t('admin.bots.application'),
      class: 'wrap',
      cell: (b) =>
        // A bot registered through a webhook belongs to `custom{CLIENT_ID}`.
        b.app_key.startsWith('custom') ? (
          <>
            <div>{t('admin.bots.webhookApp')}</div>
            <code>CLIENT_ID {b.app_key.slice('custom'.length) || '—'}</code>
          </>
        ) : (
          <>
            {appTitle(b.app_key) && <div>{appTitle(b.app_key)}</div>}
            <code>{b.app_key}</code>
          </>
        ),
    },
    {
      label: t('admin.bots.handlers'),
      class: 'wrap',
      cell: (b) => (
        <dl class="handlers">
          {Object.entries(b.handlers).map(([event, url]) => (
            <div key={event}>
              <dt>{event}</dt>
              <dd>
                <code>{url}</code>
              </dd>
            </div>
          ))}
        </dl>
      ),
    },
    { label: t('admin.bots.registered'), class: 'date', cell: (b) => formatDateTime(b.created_at) },
  ];
  return (
    <Section id="bots" title={t('admin.sections.bots')} error={error}>
      {rows && rows.length === 0 && <p class="hint">{t('admin.bots.empty')}</p>}
      <Table caption={t('admin.bots.caption')} columns={columns} rows={rows ?? []} rowKey={(b) => b.id} />
    </Section>
  );
}
