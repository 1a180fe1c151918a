import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from './admin-api.ts';
import { Section, useLoad, useSubmit, when } from './admin-kit.tsx';

export interface AdminUser {
  id: number;
  name: string;
  last_name: string;
  email: string;
  login: string | null;
  is_admin: boolean;
  is_bot: boolean;
  active: boolean;
  date_register: string;
}

/** Active people (not bots): whom a webhook or a token can act as. */
export function usePeople(api: AdminApi): AdminUser[] {
  const people = useLoad(useCallback(() => api.get<AdminUser[]>('users'), [api]));
  return (people.value ?? []).filter((u) => !u.is_bot && u.active);
}

/** The `<option>`s of a user picker. */
export function PersonOptions({ people }: { people: AdminUser[] }) {
  return (
    <>
      {people.map((u) => (
        <option key={u.id} value={u.id}>
          #{u.id} {u.name} {u.last_name}
        </option>
      ))}
    </>
  );
}

export function UsersPage({ api }: { api: AdminApi }) {
  const { value: rows, error, reload } = useLoad(useCallback(() => api.get<AdminUser[]>('users'), [api]));
  const [form, setForm] = useState({ name: '', last_name: '', email: '', login: '', password: '', admin: false });
  const [created, setCreated] = useState('');
  const submit = useSubmit(
    () => api.post<AdminUser>('users', form),
    (user) => {
      setCreated(`Created ${user.name} (#${user.id}).`);
      setForm({ name: '', last_name: '', email: '', login: '', password: '', admin: false });
      reload();
    },
  );
  const bind = (key: 'name' | 'last_name' | 'email' | 'login' | 'password') => ({
    value: form[key],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  return (
    <Section title="Users" error={error}>
      <table>
        <caption class="visually-hidden">Users and bots</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Name</th>
            <th scope="col">Login</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((u) => (
            <tr key={u.id} class={u.active ? '' : 'inactive'}>
              <td>{u.id}</td>
              <td>{`${u.name} ${u.last_name}`.trim()}</td>
              <td>{u.login ?? '—'}</td>
              <td>{u.email || '—'}</td>
              <td>
                {u.is_bot ? <span class="tag">bot</span> : u.is_admin ? <span class="tag admin">admin</span> : 'user'}
                {!u.active && ' (inactive)'}
              </td>
              <td>{when(u.date_register)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card admin-form" onSubmit={submit.onSubmit} aria-labelledby="new-user">
        <h2 id="new-user">Create a user</h2>
        <div class="fields">
          <label>
            First name
            <input type="text" required {...bind('name')} />
          </label>
          <label>
            Last name
            <input type="text" {...bind('last_name')} />
          </label>
          <label>
            E-mail
            <input type="email" {...bind('email')} />
          </label>
          <label>
            Login
            <input type="text" autocomplete="off" {...bind('login')} />
          </label>
          <label>
            Password
            <input type="password" autocomplete="new-password" {...bind('password')} />
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={form.admin}
              onChange={(e) => setForm({ ...form, admin: e.currentTarget.checked })}
            />
            Administrator
          </label>
        </div>
        {submit.error && (
          <p class="error" role="alert">
            {submit.error}
          </p>
        )}
        {created && (
          <p class="ok" role="status">
            {created}
          </p>
        )}
        <button type="submit" class="primary" disabled={submit.busy}>
          Create user
        </button>
      </form>
    </Section>
  );
}
