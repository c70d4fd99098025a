// The kiosk build (dist/kiosk/): its own small app at /kiosk/, with its own service worker and
// database. It works offline after one visit, and takes the clinic's published
// directory.json (served beside index.html) whenever that file is newer than what it holds.
// Each test runs a server of its own (its own origin, so its own service workers and
// storage), publishing the directory.json the test sets.
import { fileURLToPath } from 'node:url';
import { test as base, expect } from './fixtures.js';
import { staticSite } from '../scripts/serve.mjs';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

const test = base.extend({
  site: async ({}, use) => {
    const site = { directory: null };
    const server = staticSite(DIST, { published: (path) => (path === '/directory.json' ? site.directory : null) });
    await new Promise((done) => server.listen(0, '127.0.0.1', done));
    site.url = `http://127.0.0.1:${server.address().port}`;
    await use(site);
    await new Promise((done) => server.close(done));
  },
  baseURL: async ({ site }, use) => use(site.url),
});

/** An HSDS 3 JSON directory, as Export directory writes it: organizations with their services. */
function published(services, modified) {
  const body = JSON.stringify(services.map(([name, description], i) => ({
    id: `org-${i + 1}`,
    name: `${name} Inc.`,
    services: [{ id: `svc-${name.toLowerCase().replace(/\W+/g, '-')}`, name, description, status: 'active', phones: [{ id: `ph-${i}`, number: '555-0100' }] }],
  })));
  return { body, modified: new Date(modified) };
}

async function search(page, text) {
  await page.getByRole('searchbox', { name: 'Search resources' }).fill(text);
}

test('the kiosk loads the published directory.json, a newer one replaces it, an older one does not', async ({ page, site }) => {
  site.directory = published([['Northside Food Pantry', 'Groceries every week']], '2026-11-01T10:00:00Z');
  await page.goto('/kiosk/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await search(page, 'pantry');
  await expect(page.getByRole('button', { name: /Northside Food Pantry/ })).toBeVisible();

  // The clinic replaces the file: the next start shows the new directory alone.
  site.directory = published([['Riverside Shelter', 'Beds every night'], ['Eastside Clinic', 'Walk-in care']], '2026-11-20T10:00:00Z');
  await page.reload();
  await search(page, 'shelter');
  await expect(page.getByRole('button', { name: /Riverside Shelter/ })).toBeVisible();
  await search(page, 'pantry');
  await expect(page.getByText('No services match')).toBeVisible();

  // An older file (a stale copy on a mirror) does not take the place of the newer one.
  site.directory = published([['Old Soup Kitchen', 'Lunch']], '2026-10-01T10:00:00Z');
  await page.reload();
  await search(page, 'clinic');
  await expect(page.getByRole('button', { name: /Eastside Clinic/ })).toBeVisible();
  await search(page, 'soup');
  await expect(page.getByText('No services match')).toBeVisible();

  // A file the kiosk cannot read is left alone: the tablet keeps what it has.
  site.directory = { body: '[{"id": "x", "name": "Broken", "minimum_age": "ten"}]', modified: new Date('2026-12-01T10:00:00Z') };
  await page.reload();
  await search(page, 'shelter');
  await expect(page.getByRole('button', { name: /Riverside Shelter/ })).toBeVisible();
});

test('the kiosk opens and searches with no network after one visit', async ({ page, context, site }) => {
  site.directory = published([['Northside Food Pantry', 'Groceries every week']], '2026-11-01T10:00:00Z');
  await page.goto('/kiosk/');
  await search(page, 'pantry');
  await expect(page.getByRole('button', { name: /Northside Food Pantry/ })).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
  if (!(await controlled())) await page.reload();
  await expect.poll(controlled).toMatch(/\/kiosk\/sw\.js$/);

  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await search(page, 'pantry');
  await expect(page.getByRole('button', { name: /Northside Food Pantry/ })).toBeVisible();
  await page.getByRole('button', { name: /Northside Food Pantry/ }).click();
  await expect(page.getByText('Groceries every week')).toBeVisible();

  // The kiosk's worker keeps the kiosk's files only, under a cache of its own.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('carecoord-kiosk-')));
    return { names, paths: (await cache.keys()).map((r) => new URL(r.url).pathname).sort() };
  });
  expect(cached.names.filter((n) => n.startsWith('carecoord-kiosk-'))).toHaveLength(1);
  expect(cached.paths).toContain('/kiosk/index.html');
  expect(cached.paths).toContain('/kiosk/manifest.webmanifest');
  expect(cached.paths.every((p) => p.startsWith('/kiosk/'))).toBe(true);
});

test('kiosk mode started in the coordinator’s app hands over its directory; a published file must be newer to replace it', async ({ page, site }) => {
  site.directory = published([['Old Soup Kitchen', 'Lunch']], '2026-01-01T10:00:00Z');
  await page.goto('/resources');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Westside Diaper Bank');
  await page.getByLabel('Organization').fill('Westside Families');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Westside Diaper Bank.');
  await page.getByRole('button', { name: 'Start kiosk mode' }).click();
  await page.getByLabel('PIN', { exact: true }).fill('2468');
  await page.getByRole('button', { name: 'Use this PIN and start' }).click();
  await expect(page).toHaveURL(/\/kiosk\/$/);
  await search(page, 'diaper');
  await expect(page.getByRole('button', { name: /Westside Diaper Bank/ })).toBeVisible();
  await search(page, 'soup');
  await expect(page.getByText('No services match')).toBeVisible();

  // Nothing of the coordinator's app is loaded by the kiosk.
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')));
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/^\/kiosk\/kiosk-[0-9a-f]{12,16}_bg\.wasm$/);
  const databases = await page.evaluate(() => indexedDB.databases().then((all) => all.map((d) => d.name)));
  expect(databases).toContain('carecoord-kiosk');
});
