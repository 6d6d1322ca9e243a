// One subscription over graphql-transport-ws (the protocol of the graphql-ws client), as an async iterator of results:
// connection_init with {Authorization: token} -> connection_ack -> subscribe -> next... -> complete or error.
// GraphiQL shows each result as it arrives and calls return() when the user stops it.

type Result = Record<string, unknown>;

export function subscribe(url: string, token: string, params: unknown): AsyncIterableIterator<Result> {
  const queue: Result[] = [];
  let done = false;
  let wake: (() => void) | null = null;
  const push = (value: Result | null, end: boolean) => {
    if (done) return;
    if (value) queue.push(value);
    if (end) done = true;
    wake?.();
    wake = null;
  };

  const socket = new WebSocket(url, 'graphql-transport-ws');
  const send = (message: object) => socket.send(JSON.stringify(message));
  socket.onopen = () => send({ type: 'connection_init', payload: { Authorization: token } });
  socket.onmessage = (e) => {
    let msg: { type?: string; payload?: unknown };
    try {
      msg = JSON.parse(String(e.data));
    } catch {
      return;
    }
    if (msg.type === 'connection_ack') send({ id: '1', type: 'subscribe', payload: params });
    else if (msg.type === 'ping') send({ type: 'pong' });
    else if (msg.type === 'next') push(msg.payload as Result, false);
    else if (msg.type === 'error') push({ errors: msg.payload }, true);
    else if (msg.type === 'complete') push(null, true);
  };
  socket.onclose = (e) => push(e.code === 1000 ? null : { errors: [{ message: `The WebSocket closed: ${e.code} ${e.reason}`.trim() }] }, true);

  const iterator: AsyncIterableIterator<Result> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => { wake = resolve; });
      const value = queue.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
    async return() {
      const open = socket.readyState === WebSocket.OPEN;
      push(null, true);
      if (open) send({ id: '1', type: 'complete' });
      socket.close(1000);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
