import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from './admin-api.ts';
import { Section, useLoad, when } from './admin-kit.tsx';

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
  return (
    <Section title="Event deliveries" error={error}>
      <div class="toolbar">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status | '')}>
            <option value="">all</option>
            <option value="pending">pending ({counts?.pending ?? 0})</option>
            <option value="delivered">delivered ({counts?.delivered ?? 0})</option>
            <option value="failed">failed ({counts?.failed ?? 0})</option>
          </select>
        </label>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {value && value.deliveries.length === 0 && (
        <p class="hint">No deliveries{status ? ` with status ${status}` : ''}.</p>
      )}
      <table>
        <caption class="visually-hidden">Event deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Event</th>
            <th scope="col">Bots</th>
            <th scope="col">Handler URL</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(value?.deliveries ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.id}</td>
              <td>
                <code>{d.event}</code>
                {d.dialog_id && <div class="hint">dialog {d.dialog_id}</div>}
              </td>
              <td>{d.bot_ids.join(', ') || '—'}</td>
              <td class="url">
                <code>{d.url}</code>
              </td>
              <td>
                <span class={`status-${d.status}`}>{d.status}</span>
                {d.status === 'pending' && d.next_attempt_at && <div class="hint">next {when(d.next_attempt_at)}</div>}
                {d.delivered_at && <div class="hint">{when(d.delivered_at)}</div>}
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.last_status !== null && <code>HTTP {d.last_status}</code>}
                {d.last_error && <div class="error">{d.last_error}</div>}
                {d.last_status === null && !d.last_error && '—'}
              </td>
              <td>{when(d.created_at)}</td>
              <td>
                {d.status === 'failed' && (
                  <button type="button" onClick={() => retry(d)} aria-label={`Retry delivery ${d.id}`}>
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
