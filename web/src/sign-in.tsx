import { useEffect, useState } from 'preact/hooks';
import { Avatar } from './avatar.tsx';
import type { PageConfig } from './config.ts';
import { errorText } from './i18n/error-text.ts';
import { t } from './i18n/i18n.ts';
import { LanguageSwitch } from './i18n/language-switch.tsx';
import { ApiFailure, type Session } from './session.ts';

interface Pickable {
  id: number;
  name: string;
  isAdmin: boolean;
}

/**
 * Login and password; in development mode also one button per person (the server's `/web/session/users`).
 * Outside development mode the default password must be replaced at the first sign-in: the server answers
 * PASSWORD_CHANGE_REQUIRED and the form asks for a new one, sent with the old as `new_password`.
 */
export function SignIn({ session, config }: { session: Session; config: PageConfig }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [people, setPeople] = useState<Pickable[]>([]);
  const [mustChange, setMustChange] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');

  useEffect(() => {
    if (!config.dev) return;
    fetch('/web/session/users')
      .then((r) => r.json())
      .then(setPeople, () => setPeople([]));
  }, [config.dev]);

  const attempt = async (credentials: Parameters<Session['signIn']>[0]) => {
    setBusy(true);
    setError('');
    try {
      await session.signIn(credentials);
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.code === 'PASSWORD_CHANGE_REQUIRED') setMustChange(true);
      setError(errorText(failure));
      setBusy(false);
    }
  };

  const submit = () => {
    if (!mustChange) return attempt({ login, password });
    if (newPassword !== repeat) return setError(t('signIn.mismatch'));
    return attempt({ login, password, new_password: newPassword });
  };

  return (
    <main class="sign-in">
      <LanguageSwitch />
      <h1>
        <span class="logo" aria-hidden="true">
          b24
        </span>{' '}
        b24-local
      </h1>
      <p class="hint">{t('signIn.hint')}</p>
      <form
        class="card"
        aria-label={t('signIn.form')}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label for="login">{t('signIn.login')}</label>
        <input
          id="login"
          name="login"
          autocomplete="username"
          required
          value={login}
          onInput={(e) => setLogin(e.currentTarget.value)}
        />
        <label for="password">{t('signIn.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {mustChange && (
          <>
            <label for="new-password">{t('signIn.newPassword')}</label>
            <input
              id="new-password"
              name="new_password"
              type="password"
              autocomplete="new-password"
              required
              minLength={8}
              value={newPassword}
              onInput={(e) => setNewPassword(e.currentTarget.value)}
            />
            <label for="repeat-password">{t('signIn.repeatPassword')}</label>
            <input
              id="repeat-password"
              name="repeat_password"
              type="password"
              autocomplete="new-password"
              required
              value={repeat}
              onInput={(e) => setRepeat(e.currentTarget.value)}
            />
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {mustChange ? t('signIn.changeAndSubmit') : t('signIn.submit')}
        </button>
      </form>
      {config.dev && people.length > 0 && (
        <section class="card picker" aria-labelledby="picker-title">
          <h2 id="picker-title">{t('signIn.devPicker')}</h2>
          <ul>
            {people.map((person) => (
              <li key={person.id}>
                <button type="button" disabled={busy} onClick={() => attempt({ user_id: person.id })}>
                  <Avatar name={person.name} />
                  <span>{person.name}</span>
                  <small>
                    #{person.id}
                    {person.isAdmin ? ` · ${t('common.administrator')}` : ''}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
