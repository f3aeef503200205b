import { existsSync } from 'node:fs';
import { findChromium } from './browser';

describe('findChromium: a browser for the browser tests with nothing installed by hand', () => {
  it('takes CHROMIUM_PATH first, and says so when nothing is there', async () => {
    await expect(findChromium({ CHROMIUM_PATH: '/nowhere/chromium' })).rejects.toThrow('CHROMIUM_PATH is /nowhere/chromium, and there is no file there');
  });

  it('falls back to the Chromium npm installed (@sparticuz/chromium), with the same-origin policy kept', async () => {
    const browser = await findChromium({ JOINTLY_TEST_BROWSER: 'npm', CHROMIUM_PATH: '/nowhere/chromium' });
    expect(browser.source).toBe('npm');
    expect(existsSync(browser.executablePath)).toBe(true);
    expect(browser.args).toContain('--no-sandbox');
    for (const flag of ['--disable-web-security', '--allow-running-insecure-content']) expect(browser.args).not.toContain(flag);
  });
});
