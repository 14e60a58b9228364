// Who is using the dashboard: GET /api/me once per page. In team mode the header shows the user and a log-out button,
// and every change the page sends carries the session's CSRF token. Without team mode nothing shows.

let mePromise = null;

/** {user, admin, team, via, csrfToken?}, or null when the server does not say (not logged in, unreachable). */
export function me() {
  if (!mePromise) {
    mePromise = fetch('/api/me', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .catch(() => null);
  }
  return mePromise;
}

/** The headers a change must carry: the CSRF token of a browser session, when there is one. */
export async function csrfHeaders() {
  const who = await me();
  return who && who.csrfToken ? { 'X-CSRF-Token': who.csrfToken } : {};
}

/** Sends the browser to the login page, to come back here afterwards. */
export function toLogin() {
  location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search);
}

/** Whether the person may rename, tag or delete a run recorded by `owner` (the server checks again). */
export async function mayChange(owner) {
  const who = await me();
  return !who || !who.team || who.admin || who.user === owner;
}

async function logout() {
  try {
    await fetch('/api/logout', { method: 'POST', headers: await csrfHeaders() });
  } finally {
    location.href = '/login.html';
  }
}

async function renderWho() {
  const who = await me();
  const header = document.querySelector('header.top');
  if (!who || !who.team || !header) return;
  const box = document.createElement('span');
  box.className = 'who';
  box.id = 'who';
  const name = document.createElement('span');
  name.id = 'who-name';
  name.textContent = who.user + (who.admin ? ' (admin)' : '');
  const button = document.createElement('button');
  button.id = 'logout';
  button.type = 'button';
  button.textContent = 'Log out';
  button.addEventListener('click', logout);
  box.append(name, button);
  header.append(box);
}

renderWho();
