/**
 * Jest `setupFilesAfterEnv`: every response a test receives through `fetch` from a server on this
 * machine (the server under test, the SDK's requests included) is read — a clone, so the test still
 * has the body — and checked by the leak detector (leak-check.ts). A leak fails the test that received
 * it, in afterEach (or the file, in afterAll), naming the URL and the matching excerpt.
 *
 * Not inspected: the test database provider's control endpoint (test infrastructure, not the server).
 */
import { leakDetector, type Leak } from './leak-check';

interface Seen {
  url: string;
  leaks: Leak[];
}

interface GuardState {
  unwrapped: typeof fetch;
  pending: Set<Promise<void>>;
  seen: Seen[];
  hooked?: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const STATE = Symbol.for('jointly.leakGuard');

/** One state per test file's global, however many times this module is loaded into it. */
const state: GuardState = ((globalThis as { [STATE]?: GuardState })[STATE] ??= { unwrapped: globalThis.fetch, pending: new Set(), seen: [] });

function isServerUnderTest(url: URL): boolean {
  if (!LOCAL_HOSTS.has(url.hostname)) return false;
  const control = process.env.JOINTLY_TEST_DB_CONTROL;
  return !(control && new URL(control).origin === url.origin);
}

async function inspect(url: string, response: Response): Promise<void> {
  const [detector, body] = await Promise.all([leakDetector(), response.text()]);
  const leaks = detector.findLeaks(body);
  if (leaks.length) state.seen.push({ url, leaks });
}

type FetchInput = Parameters<typeof fetch>[0];

function requestUrl(input: FetchInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

async function guardedFetch(input: FetchInput, init?: RequestInit): Promise<Response> {
  const response = await state.unwrapped(input, init);
  const url = response.url || requestUrl(input);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && isServerUnderTest(parsed)) {
    const inspection = inspect(url, response.clone()).catch((error: unknown) => {
      state.seen.push({ url, leaks: [{ pattern: 'unreadable response body', excerpt: String(error) }] });
    });
    state.pending.add(inspection);
    void inspection.finally(() => state.pending.delete(inspection));
  }
  return response;
}

if (globalThis.fetch === state.unwrapped) globalThis.fetch = guardedFetch as typeof fetch;

/** Throws when a response since the last check leaked (naming the URL and the excerpt); clears what it reported. */
export async function failOnLeaks(): Promise<void> {
  while (state.pending.size) await Promise.all([...state.pending]);
  if (!state.seen.length) return;
  const report = state.seen
    .splice(0)
    .flatMap(({ url, leaks }) => leaks.map((leak) => `  ${url}\n    ${leak.pattern}: ${leak.excerpt}`))
    .slice(0, 20)
    .join('\n');
  throw new Error(`a response from the server leaked internals:\n${report}`);
}

if (!state.hooked) {
  state.hooked = true;
  afterEach(failOnLeaks);
  afterAll(failOnLeaks);
}
