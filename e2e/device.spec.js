// What the app says about this device: unreadable settings, blocked storage, storage facts,
// and a Content-Security-Policy that nothing on any page violates.
import { test, expect } from './fixtures.js';

test('settings that cannot be read: the defaults are used and every page says so until dismissed', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await page.evaluate(() => localStorage.setItem('carecoord.settings', '{"coordinator_name": "Dana", broken'));
  await page.goto('/panel');
  const warning = page.getByRole('complementary', { name: 'Settings warning' });
  await expect(warning).toContainText('could not be read, so the defaults are in use');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Dismiss' }).click();
  await expect(warning).toHaveCount(0);
});

test('a kiosk PIN kept in the old weak form is dropped with a notice to set it again', async ({ page }) => {
  await page.goto('/');
  // The app has read this device's settings (at its start) before the old form is put there,
  // so the reload below is the first start to find it.
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await page.evaluate(() => localStorage.setItem('carecoord.settings', JSON.stringify({ coordinator_name: 'Dana', kiosk_pin_hash: '4f2a9c01d3b7e655' })));
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Settings warning' })).toContainText('Set the PIN again');
  expect(await page.evaluate(() => localStorage.getItem('carecoord.settings'))).not.toContain('kiosk_pin_hash');
  await page.goto('/settings');
  await expect(page.getByText('No PIN is set yet.')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue('Dana');
});

test('blocked site storage gives a page that explains it, not a blank screen', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  await page.goto('/panel');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('CareCoord cannot keep data in this browser');
  await expect(page.getByText('allow site data')).toBeVisible();
});

test('the Data page says whether storage is kept for good, with usage and quota', async ({ page }) => {
  await page.goto('/data');
  const facts = page.locator('dl.storage-facts');
  await expect(facts).toContainText('Kept until you delete it');
  await expect(facts).toContainText(/MB of [\d.]+ (MB|GB) available to this site/);
});

test('index.html carries a strict Content-Security-Policy and no page violates it', async ({ page, context }) => {
  await page.goto('/');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const directive of ["default-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "'wasm-unsafe-eval'"]) {
    expect(policy).toContain(directive);
  }
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(policy).not.toContain('unsafe-inline');
  // The fixture fails the test on any securitypolicyviolation; visit every page.
  for (const path of ['/', '/panel', '/registry', '/recalls', '/referrals', '/resources', '/data', '/settings', '/kiosk-mode', '/kiosk/', '/nowhere']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // A script that tries to run inline is refused, and reported (on a page of its own, since
  // the fixture fails the test on a violation of the app's pages).
  const probe = await context.newPage();
  await probe.goto('/nowhere');
  await expect(probe.getByRole('heading', { level: 1 })).toBeVisible();
  const blocked = await probe.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__ran = true';
    document.head.append(s);
    setTimeout(() => resolve(window.__ran ? 'ran' : 'none'), 2000);
  }));
  expect(blocked).toMatch(/^script-src/);
});

test('a private window is warned about on every page', async ({ page }) => {
  // Chromium gives an incognito window a quota carved from memory, not from the disk; headless
  // test profiles get a disk-like quota either way, so the estimate is made to answer as
  // incognito does.
  await page.addInitScript(() => {
    navigator.storage.estimate = async () => ({ quota: 300 * 1024 * 1024, usage: 2 * 1024 * 1024 });
  });
  for (const path of ['/', '/panel', '/referrals', '/resources', '/settings', '/data']) {
    await page.goto(path);
    await expect(page.getByRole('complementary', { name: 'Storage warning' })).toContainText('lost when the window closes');
  }
  await expect(page.locator('dl.storage-facts')).toContainText('No: this is a private window');
});

test('a normal window has no private-window warning', async ({ page }) => {
  await page.goto('/data');
  await expect(page.locator('dl.storage-facts')).toContainText(/MB of/);
  await expect(page.getByRole('complementary', { name: 'Storage warning' })).toHaveCount(0);
});
