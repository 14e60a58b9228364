// Talking to the server: JSON requests and the live event stream.
import { csrfHeaders, toLogin } from './session.js';

/** An error answer of the API: the server's message, its status and the whole JSON body (spec errors list paths). */
export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body || {};
  }
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (response.status === 401) {
    // team mode and the session has ended: log in again, then come back here
    toLogin();
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new ApiError(message, response.status, body);
  }
  return body;
}

/** GET a JSON resource; rejects with the server's error message. */
export async function getJson(url) {
  return answer(await fetch(url, { headers: { Accept: 'application/json' } }));
}

/**
 * Sends a change (POST, PUT, PATCH, DELETE) with `body` as JSON: an object is encoded, a string is sent as it is
 * (a spec the person typed). Carries the session's CSRF token. Resolves to the JSON answer; rejects with an ApiError.
 */
export async function sendJson(method, url, body) {
  const headers = { Accept: 'application/json', ...(await csrfHeaders()) };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return answer(await fetch(url, init));
}

/**
 * Opens /api/stream. handlers: {'run-started', metrics, 'run-warning', 'run-ended', reconnected, connection}.
 * `reconnected` is called when the stream comes back after a drop: events may have been missed. The stream is
 * closed when the page is left (a browser holds few connections per server, and a page kept for the back button
 * would keep its stream) and opened again, as after a drop, if the page is shown again.
 */
export function openStream(params, handlers) {
  const query = new URLSearchParams(params).toString();
  let source = null;
  let dropped = false;
  const connect = () => {
    source = new EventSource('/api/stream' + (query ? '?' + query : ''));
    for (const name of ['run-started', 'metrics', 'run-warning', 'run-ended']) {
      source.addEventListener(name, (e) => handlers[name] && handlers[name](JSON.parse(e.data)));
    }
    source.addEventListener('open', () => {
      handlers.connection && handlers.connection(true);
      if (dropped && handlers.reconnected) handlers.reconnected();
      dropped = false;
    });
    source.addEventListener('error', () => {
      dropped = true;
      handlers.connection && handlers.connection(false);
    });
  };
  window.addEventListener('pagehide', () => {
    source.close();
    dropped = true;
  });
  window.addEventListener('pageshow', (e) => { if (e.persisted) connect(); });
  connect();
  return { close: () => source.close() };
}
