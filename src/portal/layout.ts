/** The page frame: navigation, the signed-in user, the CSRF token for scripts. No inline script or style (CSP). */
import { html, type Html } from './html.js';

/** Replaced per request with the session's CSRF token, so a page can be rendered once and cached. */
export const CSRF_PLACEHOLDER = '__PLINTH_CSRF__';
export const USER_PLACEHOLDER = '__PLINTH_USER__';

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/catalog', 'Catalog'],
  ['/new', 'Create'],
  ['/scenarios', 'Failure scenarios'],
  ['/graph', 'Dependencies'],
  ['/compliance', 'Compliance'],
];

export function page(title: string, active: string, body: Html, platform: string): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${CSRF_PLACEHOLDER}">
<title>${title} · Plinth</title><link rel="stylesheet" href="/assets/app.css"><script src="/assets/app.js" defer></script></head>
<body><header><a class="brand" href="/">Plinth</a><span class="platform">${platform}</span>
<nav>${NAV.map(([href, label]) => html`<a href="${href}"${active === href ? html` class="active" aria-current="page"` : ''}>${label}</a>`)}</nav>
<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${CSRF_PLACEHOLDER}"><span class="user">${USER_PLACEHOLDER}</span><button type="submit">Sign out</button></form></header>
<main><h1>${title}</h1>
${body}</main></body></html>
`.text;
}

export function loginPage(message?: string, oidcIssuer?: string): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Plinth</title><link rel="stylesheet" href="/assets/app.css"></head>
<body class="login"><main><h1>Plinth portal</h1>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
${oidcIssuer
  ? html`<p>Sign in with your organisation's account.</p><p><a class="button" id="oidc-login" href="/login/oidc">Sign in with ${oidcIssuer}</a></p>`
  : html`<p>Paste the login token <code>plinth portal</code> printed when it started.</p>
<form method="post" action="/login"><label for="token">Token</label><input id="token" name="token" type="password" autocomplete="off" required autofocus>
<button type="submit">Sign in</button></form>`}</main></body></html>
`.text;
}

/** After the provider's redirect (a cross-site navigation), a same-site step so the SameSite=Strict session cookie is sent. */
export function signedInPage(): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/"><title>Signed in · Plinth</title><link rel="stylesheet" href="/assets/app.css"></head><body class="login"><main><p>Signed in. <a href="/">Continue to the portal</a>.</p></main></body></html>`.text;
}
