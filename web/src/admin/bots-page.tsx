import { useCallback } from 'preact/hooks';
import type { AdminApi } from './admin-api.ts';
import { Section, useLoad, when } from './admin-kit.tsx';

interface AdminBot {
  id: number;
  code: string;
  type: string;
  name: string;
  app_key: string;
  handlers: Record<string, string>;
  created_at: string;
}

export function BotsPage({ api }: { api: AdminApi }) {
  const { value: rows, error } = useLoad(useCallback(() => api.get<AdminBot[]>('bots'), [api]));
  return (
    <Section title="Bots" error={error}>
      {rows && rows.length === 0 && <p class="hint">No bots yet: register one with imbot.register.</p>}
      <table>
        <caption class="visually-hidden">Registered bots and their handler URLs</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Name</th>
            <th scope="col">Code</th>
            <th scope="col">Type</th>
            <th scope="col">Application</th>
            <th scope="col">Handler URLs</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((b) => (
            <tr key={b.id}>
              <td>{b.id}</td>
              <td>{b.name}</td>
              <td>
                <code>{b.code}</code>
              </td>
              <td>{b.type}</td>
              <td>
                <code>{b.app_key}</code>
              </td>
              <td>
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
              </td>
              <td>{when(b.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
