import { useCallback, useState } from 'preact/hooks';
import { formatDateTime, t } from '../i18n/i18n.ts';
import type { AdminApi } from './admin-api.ts';
import { type Column, FormError, Section, Table, useLoad, useSubmit } from './admin-kit.tsx';

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

/** Every user, and the active people (not bots) among them: whom a webhook or a token can act as. */
export function usePeople(api: AdminApi): { everyone: AdminUser[]; humans: AdminUser[] } {
  const people = useLoad(useCallback(() => api.get<AdminUser[]>('users'), [api]));
  const everyone = people.value ?? [];
  return { everyone, humans: everyone.filter((u) => !u.is_bot && u.active) };
}

/** A user as a row names them: "Ann Lee #3", or "#3" until the list has loaded. */
export function userLabel(people: AdminUser[], id: number): string {
  const user = people.find((u) => u.id === id);
  return user ? `${[user.name, user.last_name].filter(Boolean).join(' ') || user.login || ''} #${id}`.trim() : `#${id}`;
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

function role(u: AdminUser) {
  const tag = u.is_bot ? (
    <span class="tag">{t('admin.users.roleBot')}</span>
  ) : u.is_admin ? (
    <span class="tag admin">{t('admin.users.roleAdmin')}</span>
  ) : (
    t('admin.users.roleUser')
  );
  return (
    <>
      {tag}
      {!u.active && ` ${t('admin.users.inactive')}`}
    </>
  );
}

export function UsersPage({ api }: { api: AdminApi }) {
  const { value: rows, error, reload } = useLoad(useCallback(() => api.get<AdminUser[]>('users'), [api]));
  const [form, setForm] = useState({ name: '', last_name: '', email: '', login: '', password: '', admin: false });
  const [created, setCreated] = useState<AdminUser | null>(null);
  const submit = useSubmit(
    () => api.post<AdminUser>('users', form),
    (user) => {
      setCreated(user);
      setForm({ name: '', last_name: '', email: '', login: '', password: '', admin: false });
      reload();
    },
  );
  const bind = (key: 'name' | 'last_name' | 'email' | 'login' | 'password') => ({
    value: form[key],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const columns: Column<AdminUser>[] = [
    { label: t('admin.users.id'), cell: (u) => u.id },
    { label: t('admin.users.name'), cell: (u) => `${u.name} ${u.last_name}`.trim() },
    { label: t('admin.users.login'), cell: (u) => u.login ?? '—' },
    { label: t('admin.users.email'), cell: (u) => u.email || '—', class: 'wrap' },
    { label: t('admin.users.role'), cell: role },
    { label: t('admin.users.registered'), class: 'date', cell: (u) => formatDateTime(u.date_register) },
  ];
  return (
    <Section id="users" title={t('admin.sections.users')} error={error}>
      <Table
        caption={t('admin.users.caption')}
        columns={columns}
        rows={rows ?? []}
        rowKey={(u) => u.id}
        rowClass={(u) => (u.active ? '' : 'inactive')}
      />
      <form class="card admin-form" onSubmit={submit.onSubmit} aria-labelledby="new-user">
        <h2 id="new-user">{t('admin.users.create')}</h2>
        <div class="fields">
          <label>
            {t('admin.users.firstName')}
            <input type="text" required {...bind('name')} />
          </label>
          <label>
            {t('admin.users.lastName')}
            <input type="text" {...bind('last_name')} />
          </label>
          <label>
            {t('admin.users.email')}
            <input type="email" {...bind('email')} />
          </label>
          <label>
            {t('admin.users.login')}
            <input type="text" autocomplete="off" {...bind('login')} />
          </label>
          <label>
            {t('admin.users.password')}
            <input type="password" autocomplete="new-password" {...bind('password')} />
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={form.admin}
              onChange={(e) => setForm({ ...form, admin: e.currentTarget.checked })}
            />
            {t('admin.users.isAdmin')}
          </label>
        </div>
        <FormError text={submit.error} />
        {created && (
          <p class="ok" role="status">
            {t('admin.users.created', { name: created.name, id: created.id })}
          </p>
        )}
        <button type="submit" class="primary" disabled={submit.busy}>
          {t('admin.users.submit')}
        </button>
      </form>
    </Section>
  );
}
