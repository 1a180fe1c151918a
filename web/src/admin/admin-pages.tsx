import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Rest } from '../rest.ts';
import type { Session } from '../session.ts';
import { AdminApi } from './admin-api.ts';
import { AppsPage } from './apps-page.tsx';
import { BotsPage } from './bots-page.tsx';
import { DeliveriesPage } from './deliveries-page.tsx';
import { UsersPage } from './users-page.tsx';
import { WebhooksPage } from './webhooks-page.tsx';

const SECTIONS = [
  { id: 'users', title: 'Users' },
  { id: 'webhooks', title: 'Webhooks' },
  { id: 'apps', title: 'OAuth apps & tokens' },
  { id: 'bots', title: 'Bots' },
  { id: 'deliveries', title: 'Event deliveries' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

const sectionInAddress = (): SectionId =>
  (SECTIONS.find((s) => `#${s.id}` === location.hash)?.id ?? 'users') as SectionId;

/** `/admin`: one section at a time, chosen in the address (`/admin#webhooks`), for administrators only. */
export function AdminPages({ rest, session }: { rest: Rest; session: Session }) {
  const api = useMemo(() => new AdminApi(session), [session]);
  const [section, setSection] = useState<SectionId>(sectionInAddress());
  const [admin, setAdmin] = useState<{ name: string; isAdmin: boolean } | null>(null);

  useEffect(() => {
    rest.call<Record<string, unknown>>('profile').then(
      (p) => setAdmin({ name: `${p.NAME ?? ''} ${p.LAST_NAME ?? ''}`.trim(), isAdmin: p.ADMIN === true }),
      () => setAdmin({ name: '', isAdmin: false }),
    );
    const follow = () => setSection(sectionInAddress());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, [rest]);

  useEffect(() => {
    document.title = `${SECTIONS.find((s) => s.id === section)?.title} · b24-local admin`;
  }, [section]);

  if (!admin) return <p class="hint center">Loading…</p>;
  if (!admin.isAdmin) {
    return (
      <main class="admin-denied card">
        <h1>Administrators only</h1>
        <p>The admin pages are for administrators. You are signed in as {admin.name}.</p>
        <p>
          <a href="/">Back to the messenger</a> ·{' '}
          <button type="button" class="link" onClick={() => session.signOut()}>
            Sign in as someone else
          </button>
        </p>
      </main>
    );
  }
  return (
    <div class="admin">
      <header class="admin-bar">
        <strong>b24-local admin</strong>
        <nav aria-label="Admin sections">
          {SECTIONS.map((s) => (
            <a key={s.id} href={`#${s.id}`} aria-current={s.id === section ? 'page' : undefined}>
              {s.title}
            </a>
          ))}
        </nav>
        <span class="admin-me">
          <a href="/">Messenger</a> · {admin.name} ·{' '}
          <button type="button" class="link" onClick={() => session.signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main class="admin-main">
        {section === 'users' && <UsersPage api={api} />}
        {section === 'webhooks' && <WebhooksPage api={api} rest={rest} />}
        {section === 'apps' && <AppsPage api={api} rest={rest} />}
        {section === 'bots' && <BotsPage api={api} />}
        {section === 'deliveries' && <DeliveriesPage api={api} />}
      </main>
    </div>
  );
}
