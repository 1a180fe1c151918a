import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../i18n/error-text.ts';
import { formatDateTime, t } from '../i18n/i18n.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, Section, Table, useEvery, useLoad } from './admin-kit.tsx';
import { DetailDialog, Facts, JsonBlock } from './detail-dialog.tsx';
import { type InspectorItem, isControlOff } from './inspector-model.ts';
import { statusClass } from './inspector-page.tsx';

const REFRESH_EVERY_MS = 3000;

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

/**
 * Event deliveries to bot handler URLs (src/delivery), refreshed every few seconds: status, attempts, the last
 * answer or error; a failed delivery is queued again, a waiting one tried now; details show the payload and the
 * handler's answers (from the inspector).
 */
export function DeliveriesPage({ api }: { api: AdminApi }) {
  const [status, setStatus] = useState<Status | ''>('');
  const [live, setLive] = useState(true);
  const [open, setOpen] = useState<Delivery | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const { value, error, reload } = useLoad(
    useCallback(() => api.get<Deliveries>(`deliveries${status ? `?status=${status}` : ''}`), [api, status]),
  );
  useEvery(REFRESH_EVERY_MS, reload, live);
  const retry = async (delivery: Delivery) => {
    try {
      await api.post(`deliveries/${delivery.id}/retry`, {});
      setFailure(null);
    } catch (e) {
      setFailure(e);
    }
    reload();
  };
  const counts = value?.counts;
  const statusName = (s: Status) => t(`admin.deliveries.statuses.${s}`);
  const columns: Column<Delivery>[] = [
    {
      label: t('admin.deliveries.id'),
      cell: (d) => (
        <button
          type="button"
          class="link"
          onClick={() => setOpen(d)}
          aria-label={t('admin.deliveries.detailsOne', { id: d.id })}
        >
          #{d.id}
        </button>
      ),
    },
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
          {/* A handler's error status is its whole error: "HTTP 500" once. */}
          {d.last_error && d.last_error !== `HTTP ${d.last_status}` && <div class="error">{d.last_error}</div>}
          {d.last_status === null && !d.last_error && '—'}
        </>
      ),
    },
    { label: t('admin.deliveries.created'), class: 'date', cell: (d) => formatDateTime(d.created_at) },
    {
      label: t('common.actions'),
      hidden: true,
      cell: (d) =>
        d.status === 'failed' ? (
          <button type="button" onClick={() => retry(d)} aria-label={t('admin.deliveries.retryOne', { id: d.id })}>
            {t('common.retry')}
          </button>
        ) : (
          d.status === 'pending' && (
            <button type="button" onClick={() => retry(d)} aria-label={t('admin.deliveries.retryNowOne', { id: d.id })}>
              {t('admin.deliveries.retryNow')}
            </button>
          )
        ),
    },
  ];
  return (
    <Section id="deliveries" title={t('admin.sections.deliveries')} error={error ?? failure}>
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
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
          {t('common.live')}
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
      {open && <DeliveryDetails delivery={open} api={api} close={() => setOpen(null)} />}
    </Section>
  );
}

/** One delivery: where it goes and, for each attempt the inspector saw, the payload sent and the handler's answer. */
function DeliveryDetails({ delivery, api, close }: { delivery: Delivery; api: AdminApi; close: () => void }) {
  const [attempts, setAttempts] = useState<InspectorItem[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const load = useCallback(
    () =>
      api
        .control<{ items: InspectorItem[] }>('GET', `requests?delivery=${delivery.id}`)
        .then((answer) => setAttempts(answer.items), setFailure),
    [api, delivery.id],
  );
  useEffect(() => {
    load();
  }, [load]);
  useEvery(REFRESH_EVERY_MS, load);
  return (
    <DetailDialog title={t('admin.deliveries.title', { id: delivery.id, event: delivery.event })} close={close}>
      <Facts
        items={[
          [t('admin.deliveries.url'), <code key="url">{delivery.url}</code>],
          [t('admin.deliveries.bots'), delivery.bot_ids.join(', ')],
          [t('admin.inspector.dialog'), delivery.dialog_id],
          [t('admin.inspector.eventId'), delivery.event_id],
          [t('admin.deliveries.created'), formatDateTime(delivery.created_at)],
        ]}
      />
      <h3>{t('admin.deliveries.attemptsHeading')}</h3>
      {failure ? (
        <p class="error" role="alert">
          {isControlOff(failure) ? t('errors.controlOff') : errorText(failure)}
        </p>
      ) : (
        attempts?.length === 0 && <p class="hint">{t('admin.deliveries.noAttempts')}</p>
      )}
      {attempts?.map((a) => (
        <article key={a.id} class="attempt" aria-label={`${t('admin.inspector.attempt')} ${a.attempt ?? ''}`}>
          <Facts
            items={[
              [t('admin.inspector.attempt'), a.attempt],
              [t('admin.inspector.time'), formatDateTime(a.at)],
              [t('admin.inspector.status'), <span class={statusClass(a.status)}>{a.status ?? '—'}</span>],
              [t('admin.inspector.duration'), t('admin.inspector.ms', { ms: a.durationMs })],
              [t('admin.inspector.error'), a.error ?? undefined],
              [t('admin.inspector.faultLabel'), a.fault],
            ]}
          />
          <JsonBlock label={t('admin.inspector.payload')} value={a.params} />
          <JsonBlock label={t('admin.deliveries.handlerAnswer')} value={a.answer ?? t('admin.inspector.noAnswer')} />
        </article>
      ))}
    </DetailDialog>
  );
}
