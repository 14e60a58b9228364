// Talking to the server: JSON requests and the live event stream.

/** GET a JSON resource; rejects with the server's error message. */
export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
}

/**
 * Opens /api/stream. handlers: {'run-started', metrics, 'run-warning', 'run-ended', reconnected, connection}.
 * `reconnected` is called when the stream comes back after a drop: events may have been missed.
 */
export function openStream(params, handlers) {
  const query = new URLSearchParams(params).toString();
  const source = new EventSource('/api/stream' + (query ? '?' + query : ''));
  let dropped = false;
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
  return source;
}
