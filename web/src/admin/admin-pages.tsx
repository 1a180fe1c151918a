import { useEffect, useMemo, useState } from 'preact/hooks';
import { connectionLost, onConnectionChange } from '../connection.ts';
import { t } from '../i18n/i18n.ts';
import { LanguageSwitch } from '../i18n/language-switch.tsx';
import type { Rest } from '../rest.ts';
import type { Session } from '../session.ts';
import { Toast } from '../toast.tsx';
import { AdminApi } from './admin-api.ts';
import { AppsPage } from './apps-page.tsx';
import { BotsPage } from './bots-page.tsx';
import { DeliveriesPage } from './deliveries-page.tsx';
import { InspectorPage } from './inspector-page.tsx';
import { UsersPage } from './users-page.tsx';
import { WebhooksPage } from './webhooks-page.tsx';
import './admin.css';

const SECTIONS = ['users', 'webhooks', 'apps', 'bots', 'deliveries', 'inspector'] as const;
type SectionId = (typeof SECTIONS)[number];

const sectionInAddress = (): SectionId => SECTIONS.find((s) => `#${s}` === location.hash) ?? 'users';

/** Shown while the server cannot be reached; goes by itself when it answers again. */
function useConnectionLost(): boolean {
  const [lost, setLost] = useState(connectionLost());
  useEffect(() => onConnectionChange(setLost), []);
  return lost;
}

/** `/admin`: one section at a time, chosen in the address (`/admin#webhooks`), for administrators only. */
export function AdminPages({ rest, session }: { rest: Rest; session: Session }) {
  const api = useMemo(() => new AdminApi(session), [session]);
  const [section, setSection] = useState<SectionId>(sectionInAddress());
  const [admin, setAdmin] = useState<{ name: string; isAdmin: boolean } | null>(null);
  const lost = useConnectionLost();

  useEffect(() => {
    rest.call<Record<string, unknown>>('profile').then(
      (p) => setAdmin({ name: `${p.NAME ?? ''} ${p.LAST_NAME ?? ''}`.trim(), isAdmin: p.ADMIN === true }),
      () => setAdmin({ name: '', isAdmin: false }),
    );
    const follow = () => setSection(sectionInAddress());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, [rest]);

  const title = t(`admin.sections.${section}`);
  useEffect(() => {
    document.title = t('admin.documentTitle', { section: title });
  }, [title]);

  if (!admin) return <p class="hint center">{t('common.loading')}</p>;
  if (!admin.isAdmin) {
    return (
      <main class="admin-denied card">
        <LanguageSwitch />
        <h1>{t('admin.denied.title')}</h1>
        <p>{t('admin.denied.text', { name: admin.name })}</p>
        <p>
          <a href="/">{t('admin.denied.back')}</a> ·{' '}
          <button type="button" class="link" onClick={() => session.signOut()}>
            {t('admin.denied.switchUser')}
          </button>
        </p>
      </main>
    );
  }
  return (
    <div class="admin">
      <header class="admin-bar">
        <strong>{t('admin.title')}</strong>
        <nav aria-label={t('admin.sectionsNav')}>
          {SECTIONS.map((s) => (
            <a key={s} href={`#${s}`} aria-current={s === section ? 'page' : undefined}>
              {t(`admin.sections.${s}`)}
            </a>
          ))}
        </nav>
        <span class="admin-me">
          <a href="/">{t('common.messenger')}</a>
          <span>{admin.name}</span>
          <button type="button" class="link" onClick={() => session.signOut()}>
            {t('common.signOut')}
          </button>
          <LanguageSwitch />
        </span>
      </header>
      <main class="admin-main">
        {section === 'users' && <UsersPage api={api} />}
        {section === 'webhooks' && <WebhooksPage api={api} rest={rest} />}
        {section === 'apps' && <AppsPage api={api} rest={rest} />}
        {section === 'bots' && <BotsPage api={api} />}
        {section === 'deliveries' && <DeliveriesPage api={api} />}
        {section === 'inspector' && <InspectorPage api={api} />}
      </main>
      {lost && <Toast text={t('errors.network')} />}
    </div>
  );
}
