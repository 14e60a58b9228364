// Talking to the server: JSON requests and the live event stream.

/** An error the API answered with: its message, HTTP status and the error object (path, param, position...). */
export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body || {};
  }
}

/** GET a JSON resource; rejects with an ApiError carrying the server's message. */
export async function getJson(url) {
  return answer(await fetch(url, { headers: { Accept: 'application/json' } }));
}

/** PATCH, POST or DELETE with a JSON body (or none); rejects with an ApiError. */
export async function sendJson(method, url, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return answer(await fetch(url, init));
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new ApiError(message, response.status, body);
  }
  return body;
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
