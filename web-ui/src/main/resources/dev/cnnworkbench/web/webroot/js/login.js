// The login page of a team-mode server: sends the name and password as JSON, then goes where the person was headed.
// Self-contained (the login page may load only this script and the style sheet before logging in).

/**
 * Where to go after logging in: a path of this site only, else the runs page. Never '//host', a backslash, or a
 * blank or control character (browsers drop some of those, which could turn '/\t/host' into '//host').
 */
function destination() {
  const next = new URLSearchParams(location.search).get('next');
  const safe = next && /^\/([^/\\]|$)/.test(next) && !/[\u0000-\u0020\u007f\\]/.test(next);
  return safe ? next : '/';
}

function showError(message) {
  const box = document.getElementById('login-error');
  box.textContent = message;
  box.hidden = false;
}

async function login(event) {
  event.preventDefault();
  const button = document.getElementById('login-submit');
  button.disabled = true;
  try {
    const response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        name: document.getElementById('login-name').value.trim(),
        password: document.getElementById('login-password').value,
      }),
    });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      showError(body && body.error ? body.error : `${response.status} ${response.statusText}`);
      return;
    }
    location.href = destination();
  } catch (e) {
    showError('Cannot reach the server: ' + e.message);
  } finally {
    button.disabled = false;
  }
}

document.getElementById('login-form').addEventListener('submit', login);
document.body.dataset.ready = 'true';
