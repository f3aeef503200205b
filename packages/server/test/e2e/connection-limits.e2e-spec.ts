import http from 'node:http';
import net from 'node:net';
import type { RunningServer } from '../../src/index';
import { startTestServer, testDatabaseUrl } from '../support/test-database';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** GET over its own connection (no keep-alive pool), from a given local address. */
function get(port: number, path: string, headers: Record<string, string> = {}, localAddress = '127.0.0.3'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false, localAddress }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

/** A raw connection from localAddress, with everything it received and whether the server closed it. */
function connect(port: number, localAddress: string) {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  const state = { received: '', closed: false, socket };
  socket.on('data', (d: Buffer) => (state.received += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => (state.closed = true));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { state, closed, connected };
}

/** Sends a keep-alive GET /healthz on the connection and waits for its answer. */
async function healthz(connection: ReturnType<typeof connect>): Promise<void> {
  await connection.connected;
  connection.state.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  while (!connection.state.received.includes('"status":"ok"')) {
    if (connection.state.closed) throw new Error(`closed; received ${JSON.stringify(connection.state.received)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('slow requests, open connections and /metrics', () => {
  let timeouts: RunningServer;
  let caps: RunningServer;
  const port = (server: RunningServer) => Number(new URL(server.url).port);

  beforeAll(async () => {
    const databaseUrl = await testDatabaseUrl();
    timeouts = await startTestServer({ databaseUrl, env: { JOINTLY_REQUEST_TIMEOUT_MS: '1500', JOINTLY_HEADERS_TIMEOUT_MS: '1000', JOINTLY_METRICS_TOKEN: METRICS_TOKEN } });
    caps = await startTestServer({ databaseUrl, env: { JOINTLY_MAX_CONNECTIONS: '4', JOINTLY_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
  });
  afterAll(async () => {
    await timeouts?.stop();
    await caps?.stop();
  });

  it('answers 408 and closes a request whose body trickles in past JOINTLY_REQUEST_TIMEOUT_MS', async () => {
    const slow = connect(port(timeouts), '127.0.0.4');
    await slow.connected;
    slow.state.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    // A byte every 200 ms keeps an idle-socket timeout from firing; only the whole-request timeout ends it.
    const drip = setInterval(() => slow.state.socket.write(' '), 200);
    await slow.closed;
    clearInterval(drip);
    expect(slow.state.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose headers never end, past JOINTLY_HEADERS_TIMEOUT_MS', async () => {
    const slow = connect(port(timeouts), '127.0.0.4');
    await slow.connected;
    slow.state.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.state.socket.write('X-A: b\r\n'), 200);
    await slow.closed;
    clearInterval(drip);
    expect(slow.state.received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('refuses a connection beyond JOINTLY_MAX_CONNECTIONS_PER_ADDRESS, while another address still gets in, up to JOINTLY_MAX_CONNECTIONS', async () => {
    const first = connect(port(caps), '127.0.0.5');
    const second = connect(port(caps), '127.0.0.5');
    await healthz(first);
    await healthz(second);
    const third = connect(port(caps), '127.0.0.5');
    await third.closed;
    expect(third.state.received).toBe('');

    const other = connect(port(caps), '127.0.0.6');
    await healthz(other);
    const fourth = connect(port(caps), '127.0.0.7');
    await healthz(fourth);
    // Four open in all: a fifth, from a fresh address, is closed too.
    const fifth = connect(port(caps), '127.0.0.8');
    await fifth.closed;
    expect(fifth.state.received).toBe('');

    // Once one closes, its address may connect again.
    first.state.socket.end();
    await first.closed;
    let again: ReturnType<typeof connect> | undefined;
    for (let attempt = 0; attempt < 50 && !again; attempt++) {
      const candidate = connect(port(caps), '127.0.0.5');
      try {
        await healthz(candidate);
        again = candidate;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(again).toBeDefined();
    for (const c of [second, other, fourth, again!]) c.state.socket.destroy();
  });

  it('answers /metrics only with Authorization: Bearer <JOINTLY_METRICS_TOKEN>', async () => {
    const none = await get(port(timeouts), '/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).not.toContain('jointly_');
    expect((await get(port(timeouts), '/metrics', { authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await get(port(timeouts), '/metrics', { authorization: METRICS_TOKEN })).status).toBe(401);
    const granted = await get(port(timeouts), '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(granted.status).toBe(200);
    expect(granted.body).toContain('jointly_http_requests_total');
    // Without a token configured, /metrics stays open (the default).
    expect((await get(port(caps), '/metrics', {}, '127.0.0.9')).status).toBe(200);
  });
});
