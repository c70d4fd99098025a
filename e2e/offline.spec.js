// Works offline: after one visit with a network, the service worker (dist/sw.js) opens the
// app with none, on every page; and a new build is offered with Reload.
// Offline here means setOffline *and* every request aborted: setOffline alone does not stop
// the service worker's own requests. Service workers stay allowed (Playwright's default).
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures.js';
import { PanelPage } from './pages.js';
import { staticSite } from '../scripts/serve.mjs';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

// A site of its own for the update test: the same dist/, whose sw.js becomes "build B" (the
// same worker under another cache name) when the test says so. Its own origin, so its
// service worker is not shared with other tests.
const withNewBuild = test.extend({
  site: async ({}, use) => {
    const site = { buildB: false };
    const server = staticSite(DIST, {
      rewrite: (path, text) => (path === 'sw.js' && site.buildB ? text.replace(/'carecoord-([0-9a-f]{16})'/, "'carecoord-$1-b'") : text),
    });
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    site.url = `http://127.0.0.1:${server.address().port}`;
    await use(site);
    await new Promise((done) => server.close(done));
  },
  baseURL: async ({ site }, use) => use(site.url),
});

/** Waits until the service worker controls the page (it claims the page that installed it). */
async function untilControlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!(await controlled())) await page.reload();
  await expect.poll(controlled).toBe(true);
}

async function goOffline(context) {
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

test('after one visit the app opens, adds patients and shows every page with no network', async ({ page, context }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await untilControlled(page);
  await panel.addPatient({ 'First name': 'María', 'Last name': 'Núñez', 'Date of birth': '1990-02-28' });

  await goOffline(context);
  await page.reload();
  await expect(panel.rowLink('Núñez, María')).toBeVisible();

  await panel.addPatient({ 'First name': 'Olga', 'Last name': 'Nunes', 'Date of birth': '1962-03-14' });
  await page.reload();
  await expect(panel.rowLink('Núñez, María')).toBeVisible();
  await expect(panel.rowLink('Nunes, Olga')).toBeVisible();
  await expect(panel.count).toHaveText('2 of 2 patients');

  // A deep link, loaded afresh with no network.
  await panel.rowLink('Nunes, Olga').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Olga Nunes');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Olga Nunes');

  for (const [path, heading] of [['/settings', 'Settings'], ['/data', 'Data'], ['/referrals', 'Referrals'], ['/', 'Today']]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  // Nothing but the app's own files is kept by the service worker: the page, its assets and
  // the pages' wasm modules (fetched on demand, kept for offline use), never a route's address.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return { names, paths: (await cache.keys()).map((r) => new URL(r.url).pathname).sort() };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.names[0]).toMatch(/^carecoord-[0-9a-f]{16}$/);
  expect(cached.paths).toContain('/index.html');
  expect(cached.paths).toContain('/manifest.webmanifest');
  expect(cached.paths.some((p) => /^\/pages-[0-9a-f]{16}\/split_panel\.wasm$/.test(p))).toBe(true);
  expect(cached.paths.every((p) => !/^\/(patients|panel|settings)\b/.test(p))).toBe(true);
});

withNewBuild('a new build is offered with Reload; Later puts it off; Reload switches to it', async ({ page, site }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await untilControlled(page);
  const offer = page.getByRole('status').filter({ hasText: 'A new version of CareCoord is ready.' });
  await expect(offer).toHaveCount(0);

  site.buildB = true;
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('it starts the next time CareCoord is opened after all its tabs are closed');

  await offer.getByRole('button', { name: 'Later' }).click();
  await expect(offer).toHaveCount(0);
  // Still waiting at the next load of this tab, so still offered.
  await page.reload();
  await expect(offer).toBeVisible();

  await page.evaluate(() => { window.beforeSwitch = true; });
  await offer.getByRole('button', { name: 'Reload' }).click();
  // The page reloads under the new worker: while it does, the old context is gone.
  await expect.poll(async () => page.evaluate(() => window.beforeSwitch === undefined).catch(() => false)).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'Panel' })).toBeVisible();
  await expect(offer).toHaveCount(0);
  const worker = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return { waiting: r.waiting !== null, caches: await caches.keys() };
  });
  expect(worker.waiting).toBe(false);
  expect(worker.caches).toEqual([expect.stringMatching(/^carecoord-[0-9a-f]{16}-b$/)]);
});

test.describe('pages fetched on demand', () => {
  // No service worker: the page's own requests are the only way to a module here.
  test.use({ serviceWorkers: 'block' });

  test('a page whose module cannot be fetched says so, and the other pages still open', async ({ page }) => {
    const modules = [];
    page.on('request', (r) => { if (/\/pages-[0-9a-f]{16}\//.test(r.url())) modules.push(new URL(r.url()).pathname.split('/').pop()); });
    // The settings' module cannot be fetched, neither when the app fetches every page's
    // modules after reading its stores nor when the page is opened.
    await page.route(/\/pages-[0-9a-f]{16}\/split_admin\.wasm$/, (route) => route.abort('internetdisconnected'));
    await page.goto('/panel');
    await expect(page.getByRole('heading', { level: 1, name: 'Panel' })).toBeVisible();
    // The panel's own module came first, before any other page's.
    expect(modules.find((m) => m.startsWith('split_'))).toBe('split_panel.wasm');
    // Then the other pages' modules, in the background.
    await expect.poll(() => modules.includes('split_patients.wasm')).toBe(true);

    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'This page could not be opened' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Connect to the network and reload the page.');

    await page.getByRole('link', { name: 'Resources' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Resources' })).toBeVisible();
    // Once the network is back, the page opens.
    await page.unroute(/\/pages-[0-9a-f]{16}\/split_admin\.wasm$/);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  });
});
