import type { UserRow } from '../domain/user-row.ts';

// The HTML of `/oauth/authorize/`: the portal's sign-in step of the full OAuth flow
// (b24restdocs settings/oauth/index.md, step 1). Deliberately plain: one form, no scripts.

/**
 * No script, no framing (the sign-in form must not be clickjacked), styles only inline. No form-action: after the
 * sign-in the browser follows a redirect to the application's redirect_uri, which form-action would block.
 */
export const AUTHORIZE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

const html = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(title)} · b24-local</title>
<style>body{font:15px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}
button{display:block;width:100%;margin:.4rem 0;padding:.6rem;font:inherit;text-align:left;cursor:pointer}
input{display:block;width:100%;margin:.3rem 0 .8rem;padding:.5rem;font:inherit;box-sizing:border-box}
code{font-size:1.2rem;background:#eee;padding:.3rem .5rem}.error{color:#b00}</style></head>
<body>${body}</body></html>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}">`)
    .join('');
}

/** Development mode: pick who signs in; each button is a GET with `user_id`, the same URL scripts use. */
export function userPicker(appTitle: string, users: UserRow[], keep: Record<string, string>): string {
  const buttons = users
    .map(
      (u) =>
        `<button name="user_id" value="${u.id}">${html([u.name, u.last_name].filter(Boolean).join(' ') || `User ${u.id}`)}` +
        ` <small>#${u.id}${u.is_admin ? ' · administrator' : ''}</small></button>`,
    )
    .join('\n');
  return layout(
    'Sign in',
    `<h1>Sign in to ${html(appTitle)}</h1><p>Development mode: choose the user the application acts for.</p>
<form method="get">${hidden(keep)}${buttons}</form>`,
  );
}

/** Outside development mode: login (or e-mail) and password. */
export function loginForm(appTitle: string, keep: Record<string, string>, error?: string): string {
  return layout(
    'Sign in',
    `<h1>Sign in to ${html(appTitle)}</h1>${error ? `<p class="error">${html(error)}</p>` : ''}
<form method="post">${hidden(keep)}<label>Login<input name="login" autocomplete="username" required></label>
<label>Password<input name="password" type="password" autocomplete="current-password" required></label>
<button>Sign in</button></form>`,
  );
}

/** An application without redirect_uri: the portal shows the code for the user to copy. */
export function codePage(code: string): string {
  return layout(
    'Authorization code',
    `<h1>Authorization code</h1><p>Copy it into the application; it works once, for 30 seconds.</p>
<p><code id="code">${html(code)}</code></p>`,
  );
}

/** A failed authorization: the portal shows the error itself, the application gets no redirect. */
export function errorPage(error: string, description: string): string {
  return layout(
    'Authorization failed',
    `<h1>Authorization failed</h1><p class="error">${html(error)}: ${html(description)}</p>`,
  );
}
