import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../i18n/error-text.ts';
import { formatClock, formatDateTime, t } from '../i18n/i18n.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, Section, Table, useEvery } from './admin-kit.tsx';
import { DetailDialog, Facts, JsonBlock } from './detail-dialog.tsx';
import { type InspectorItem, isControlOff } from './inspector-model.ts';

const KINDS = ['', 'rest', 'pull', 'delivery'] as const;
const STATUSES = ['', 'ok', 'error', '4xx', '5xx'] as const;
/** The page keeps this many items; the server's ring keeps more (export reads the server). */
const SHOWN = 500;
const LIVE_EVERY_MS = 2000;

interface Filters {
  kind: string;
  method: string;
  app: string;
  bot: string;
  dialogId: string;
  status: string;
}
const NO_FILTERS: Filters = { kind: '', method: '', app: '', bot: '', dialogId: '', status: '' };

const query = (filters: Filters, extra: Record<string, string>) =>
  new URLSearchParams({
    ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== '')),
    ...extra,
  }).toString();

/**
 * The inspector: what the server did (REST calls, Push & Pull commands, event delivery attempts), newest first,
 * filtered; live by asking for items newer than the newest shown every two seconds. A row opens its params and
 * answer; export saves the filtered items as JSON.
 */
export function InspectorPage({ api }: { api: AdminApi }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<InspectorItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const [open, setOpen] = useState<InspectorItem | null>(null);
  // The filters the shown items were read with: a late answer for older filters is dropped.
  const shownFor = useRef<Filters | null>(null);

  const read = useCallback(
    async (after: number) => {
      const asked = filters;
      // Items newer than those shown only while they were read with these filters; else the whole list again.
      const since = shownFor.current === asked ? after : 0;
      try {
        const { items: fresh } = await api.control<{ items: InspectorItem[] }>(
          'GET',
          `requests?${query(asked, { since: String(since), limit: String(SHOWN) })}`,
        );
        setError(null);
        setItems((shown) => {
          const base = shownFor.current === asked ? shown : [];
          shownFor.current = asked;
          // Two reads in flight may both bring an item: keep only what is newer than the newest shown.
          const added = fresh.filter((i) => i.id > (base[0]?.id ?? 0));
          return added.length || base !== shown ? [...added, ...base].slice(0, SHOWN) : shown;
        });
      } catch (e) {
        setError(e);
      }
    },
    [api, filters],
  );

  // New filters: read again from scratch, a moment after the last keystroke.
  useEffect(() => {
    const timer = setTimeout(() => read(0), 250);
    return () => clearTimeout(timer);
  }, [read]);
  const newest = items[0]?.id ?? 0;
  useEvery(LIVE_EVERY_MS, () => read(newest), live && !isControlOff(error));

  const exportJson = async () => {
    const answer = await api.control<{ items: InspectorItem[] }>(
      'GET',
      `requests?${query(filters, { limit: '2000' })}`,
    );
    const file = { exportedAt: new Date().toISOString(), filters, items: answer.items };
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
    link.download = 'b24-local-requests.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  const field = (key: keyof Filters) => ({
    value: filters[key],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
      setFilters({ ...filters, [key]: e.currentTarget.value }),
  });
  const columns: Column<InspectorItem>[] = [
    { label: t('admin.inspector.time'), cell: (i) => <time dateTime={i.at}>{formatClock(i.at)}</time> },
    { label: t('admin.inspector.kind'), cell: (i) => t(`admin.inspector.kinds.${i.kind}`) },
    {
      label: t('admin.inspector.method'),
      class: 'wrap',
      cell: (i) => (
        <button
          type="button"
          class="link method"
          onClick={() => setOpen(i)}
          aria-label={t('admin.inspector.open', { method: i.method, id: i.id })}
        >
          {i.method}
        </button>
      ),
    },
    {
      label: t('admin.inspector.status'),
      cell: (i) => (
        <>
          <span class={statusClass(i.status)}>{i.status ?? (i.kind === 'pull' ? '—' : (i.error ?? '—'))}</span>
          {i.fault && <span class="tag fault">{t('admin.inspector.fault', { id: i.fault })}</span>}
        </>
      ),
    },
    { label: t('admin.inspector.duration'), cell: (i) => t('admin.inspector.ms', { ms: i.durationMs }) },
    { label: t('admin.inspector.app'), class: 'wrap', cell: (i) => i.app ?? '—' },
    { label: t('admin.inspector.bot'), cell: (i) => i.bots?.join(', ') || '—' },
    { label: t('admin.inspector.dialog'), cell: (i) => i.dialogId ?? '—' },
  ];
  const off = isControlOff(error);
  return (
    <Section id="inspector" title={t('admin.sections.inspector')} error={off ? null : error}>
      <p class="hint">{t('admin.inspector.intro')}</p>
      {off ? (
        <p class="error" role="alert">
          {t('errors.controlOff')}
        </p>
      ) : (
        <>
          <form class="card filters" aria-label={t('admin.inspector.filters')} onSubmit={(e) => e.preventDefault()}>
            <label>
              {t('admin.inspector.kind')}
              <select {...field('kind')}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`admin.inspector.kinds.${k || 'all'}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('admin.inspector.method')}
              <input type="search" placeholder="imbot.message.*" {...field('method')} />
            </label>
            <label>
              {t('admin.inspector.app')}
              <input type="search" {...field('app')} />
            </label>
            <label>
              {t('admin.inspector.bot')}
              <input type="search" inputMode="numeric" {...field('bot')} />
            </label>
            <label>
              {t('admin.inspector.dialog')}
              <input type="search" placeholder="chat1" {...field('dialogId')} />
            </label>
            <label>
              {t('admin.inspector.status')}
              <select {...field('status')}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`admin.inspector.statuses.${s || 'all'}`)}
                  </option>
                ))}
              </select>
            </label>
          </form>
          <div class="toolbar">
            <label class="check">
              <input type="checkbox" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
              {t('common.live')}
            </label>
            <button type="button" onClick={() => read(0)}>
              {t('common.refresh')}
            </button>
            <button type="button" onClick={exportJson}>
              {t('admin.inspector.export')}
            </button>
            <span class="hint" aria-live="polite">
              {t('admin.inspector.shown', { count: items.length })}
            </span>
          </div>
          {items.length === 0 && <p class="hint">{t('admin.inspector.empty')}</p>}
          <Table caption={t('admin.inspector.caption')} columns={columns} rows={items} rowKey={(i) => i.id} />
        </>
      )}
      {open && <ItemDetails item={open} api={api} close={() => setOpen(null)} />}
    </Section>
  );
}

export const statusClass = (status: number | null) =>
  status === null ? 'status-none' : status < 300 ? 'status-delivered' : 'status-failed';

/** Everything recorded about one item; a delivery attempt can be sent again (same event id). */
export function ItemDetails({ item, api, close }: { item: InspectorItem; api: AdminApi; close: () => void }) {
  const [replayed, setReplayed] = useState('');
  const replay = async () => {
    try {
      const { deliveryId } = await api.control<{ deliveryId: number }>('POST', `deliveries/${item.deliveryId}/replay`);
      setReplayed(t('admin.inspector.replayed', { id: deliveryId }));
    } catch (e) {
      setReplayed(errorText(e));
    }
  };
  const caller = item.caller
    ? item.caller.type === 'webhook'
      ? t('admin.inspector.callerWebhook', { id: item.caller.webhookId, user: item.caller.userId })
      : t('admin.inspector.callerOAuth', { user: item.caller.userId, app: item.caller.app ?? '—' })
    : undefined;
  return (
    <DetailDialog title={`${item.method} #${item.id}`} close={close}>
      <Facts
        items={[
          [t('admin.inspector.kind'), t(`admin.inspector.kinds.${item.kind}`)],
          [t('admin.inspector.time'), formatDateTime(item.at)],
          [t('admin.inspector.status'), item.status ?? undefined],
          [t('admin.inspector.duration'), t('admin.inspector.ms', { ms: item.durationMs })],
          [t('admin.inspector.caller'), caller],
          [t('admin.inspector.app'), item.app],
          [t('admin.inspector.bot'), item.bots?.join(', ')],
          [t('admin.inspector.dialog'), item.dialogId],
          [t('admin.inspector.url'), item.url && <code>{item.url}</code>],
          [t('admin.inspector.eventId'), item.eventId],
          [t('admin.inspector.attempt'), item.attempt],
          [t('admin.inspector.error'), item.error ?? undefined],
          [t('admin.inspector.faultLabel'), item.fault],
          [t('admin.inspector.notes'), item.notes?.join('\n')],
        ]}
      />
      <JsonBlock
        label={item.kind === 'delivery' ? t('admin.inspector.payload') : t('admin.inspector.params')}
        value={item.params}
      />
      {item.kind === 'pull' && item.recipients !== undefined ? (
        <JsonBlock label={t('admin.inspector.recipients')} value={item.recipients} />
      ) : (
        <JsonBlock
          label={item.kind === 'delivery' ? t('admin.deliveries.handlerAnswer') : t('admin.inspector.answer')}
          value={item.answer ?? t('admin.inspector.noAnswer')}
        />
      )}
      {item.kind === 'delivery' && item.deliveryId && (
        <p class="dialog-actions">
          <button type="button" onClick={replay}>
            {t('admin.inspector.replay')}
          </button>
          {replayed && <span role="status">{replayed}</span>}
        </p>
      )}
    </DetailDialog>
  );
}
