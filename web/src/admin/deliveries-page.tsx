import { useCallback, useState } from 'preact/hooks';
import { formatDateTime, t } from '../i18n/i18n.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, Section, Table, useLoad } from './admin-kit.tsx';

type Status = 'pending' | 'delivered' | 'failed';

interface Delivery {
  id: number;
  event_id: number;
  event: string;
  app_key: string;
  bot_ids: number[];
  dialog_id: string;
  url: string;
  status: Status;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

interface Deliveries {
  counts: Record<Status, number>;
  deliveries: Delivery[];
}

/** Event deliveries to bot handler URLs (src/delivery): status, attempts, the last answer or error; retry failed. */
export function DeliveriesPage({ api }: { api: AdminApi }) {
  const [status, setStatus] = useState<Status | ''>('');
  const { value, error, reload } = useLoad(
    useCallback(() => api.get<Deliveries>(`deliveries${status ? `?status=${status}` : ''}`), [api, status]),
  );
  const retry = async (delivery: Delivery) => {
    await api.post(`deliveries/${delivery.id}/retry`, {});
    reload();
  };
  const counts = value?.counts;
  const statusName = (s: Status) => t(`admin.deliveries.statuses.${s}`);
  const columns: Column<Delivery>[] = [
    { label: t('admin.deliveries.id'), cell: (d) => d.id },
    {
      label: t('admin.deliveries.event'),
      cell: (d) => (
        <>
          <code>{d.event}</code>
          {d.dialog_id && <div class="hint">{t('admin.deliveries.dialog', { id: d.dialog_id })}</div>}
        </>
      ),
    },
    { label: t('admin.deliveries.bots'), cell: (d) => d.bot_ids.join(', ') || '—' },
    { label: t('admin.deliveries.url'), class: 'wrap', cell: (d) => <code>{d.url}</code> },
    {
      label: t('admin.deliveries.status'),
      cell: (d) => (
        <>
          <span class={`status-${d.status}`}>{statusName(d.status)}</span>
          {d.status === 'pending' && d.next_attempt_at && (
            <div class="hint">{t('admin.deliveries.next', { when: formatDateTime(d.next_attempt_at) })}</div>
          )}
          {d.delivered_at && <div class="hint">{formatDateTime(d.delivered_at)}</div>}
        </>
      ),
    },
    { label: t('admin.deliveries.attempts'), cell: (d) => d.attempts },
    {
      label: t('admin.deliveries.lastAnswer'),
      class: 'wrap',
      cell: (d) => (
        <>
          {d.last_status !== null && <code>HTTP {d.last_status}</code>}
          {d.last_error && <div class="error">{d.last_error}</div>}
          {d.last_status === null && !d.last_error && '—'}
        </>
      ),
    },
    { label: t('admin.deliveries.created'), cell: (d) => formatDateTime(d.created_at) },
    {
      label: t('common.actions'),
      hidden: true,
      cell: (d) =>
        d.status === 'failed' && (
          <button type="button" onClick={() => retry(d)} aria-label={t('admin.deliveries.retryOne', { id: d.id })}>
            {t('common.retry')}
          </button>
        ),
    },
  ];
  return (
    <Section id="deliveries" title={t('admin.sections.deliveries')} error={error}>
      <div class="toolbar">
        <label>
          {t('admin.deliveries.status')}{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | '')}>
            <option value="">{t('admin.deliveries.all')}</option>
            {(['pending', 'delivered', 'failed'] as const).map((s) => (
              <option key={s} value={s}>
                {t('admin.deliveries.statusCount', { status: statusName(s), count: counts?.[s] ?? 0 })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      {value && value.deliveries.length === 0 && (
        <p class="hint">
          {status ? t('admin.deliveries.emptyWith', { status: statusName(status) }) : t('admin.deliveries.empty')}
        </p>
      )}
      <Table
        caption={t('admin.deliveries.caption')}
        columns={columns}
        rows={value?.deliveries ?? []}
        rowKey={(d) => d.id}
      />
    </Section>
  );
}
