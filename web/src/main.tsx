import { render } from 'preact';
import { useEffect, useMemo, useReducer } from 'preact/hooks';
import { AdminPages } from './admin/admin-pages.tsx';
import { type PageConfig, readConfig } from './config.ts';
import { useLanguage } from './i18n/i18n.ts';
import { Messenger } from './messenger/messenger.tsx';
import { Rest } from './rest.ts';
import { Session } from './session.ts';
import { SignIn } from './sign-in.tsx';
import './styles.css';

/**
 * Signed out: the sign-in page. Signed in: the messenger at `/`, the admin pages at `/admin`. A language switch
 * renders everything again in the new language (state is kept: nothing remounts).
 */
function App({ session, config }: { session: Session; config: PageConfig }) {
  useLanguage();
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => session.onChange(() => changed(undefined)), [session]);
  const rest = useMemo(() => new Rest(session), [session]);
  if (!session.userId) return <SignIn session={session} config={config} />;
  if (location.pathname.startsWith('/admin')) return <AdminPages key={session.userId} rest={rest} session={session} />;
  return <Messenger key={session.userId} rest={rest} session={session} config={config} />;
}

render(<App session={new Session()} config={readConfig()} />, document.getElementById('root')!);
