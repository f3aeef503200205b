import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where the browser of the browser tests came from. */
export type BrowserSource = 'CHROMIUM_PATH' | 'system' | 'npm';

export interface BrowserExecutable {
  executablePath: string;
  args: string[];
  source: BrowserSource;
}

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The flags @sparticuz/chromium adds for serverless hosts that would change what a test observes:
 * a browser without the same-origin policy lets every cross-origin request through.
 */
const UNSAFE_FLAGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials']);

/** Flags every browser test runs with: nothing reaches out on its own, no first-run pages. */
const QUIET_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A Chromium for the browser tests, found without anything installed by hand: `CHROMIUM_PATH` when
 * set, else the system's Chromium, else the one npm installed with `@sparticuz/chromium` (its binary
 * ships inside the package and is unpacked to the temporary folder on first use).
 * `JOINTLY_TEST_BROWSER=npm` skips the first two (CI proves the npm-installed one works).
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<BrowserExecutable> {
  const npmOnly = env.JOINTLY_TEST_BROWSER === 'npm';
  if (!npmOnly && env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, and there is no file there`);
    return { executablePath: env.CHROMIUM_PATH, args: QUIET_FLAGS, source: 'CHROMIUM_PATH' };
  }
  const system = npmOnly ? undefined : SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate));
  if (system) return { executablePath: system, args: [...QUIET_FLAGS, '--disable-gpu'], source: 'system' };
  const { default: bundled } = await import('@sparticuz/chromium');
  const args = bundled.args.filter((flag) => !UNSAFE_FLAGS.has(flag) && !flag.startsWith('--headless'));
  return { executablePath: await bundled.executablePath(), args: [...args, ...QUIET_FLAGS], source: 'npm' };
}

export interface TestBrowser {
  context: BrowserContext;
  source: BrowserSource;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile (GraphiQL keeps its tabs in localStorage). */
export async function launchTestBrowser(): Promise<TestBrowser> {
  const browser = await findChromium();
  const profile = await mkdtemp(path.join(tmpdir(), 'jointly-browser-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      args: browser.args,
      headless: true,
      viewport: { width: 1400, height: 900 },
    });
    return {
      context,
      source: browser.source,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
