// Passphrase protection: records encrypted at rest, a lock screen that shows nothing about
// anyone, locking on idle and in every tab, encrypted backups, and a kiosk that still works.
import { readFileSync } from 'node:fs';
import { test, expect, TODAY } from './fixtures.js';
import { DataPage, PanelPage } from './pages.js';

const PASSPHRASE = 'blue heron at dawn';

async function protect(page) {
  await navigate(page, 'Settings');
  await page.getByLabel('New passphrase').fill(PASSPHRASE);
  await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Protect with a passphrase' }).click();
  await expect(page.getByRole('status')).toHaveText("This device's records are now protected by the passphrase.", { timeout: 20000 });
  await expect(page.getByRole('button', { name: 'Lock now' })).toBeVisible();
}

/** Goes to a page through the navigation (no reload: a reload locks a protected app). */
async function navigate(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function addPatient(page, first, last, mrn = 'MRN-7788') {
  await navigate(page, 'Panel');
  await new PanelPage(page).addPatient({ 'First name': first, 'Last name': last, 'Date of birth': '1961-03-14', MRN: mrn });
}

async function expectLocked(page, name) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('CareCoord is locked', { timeout: 15000 });
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(name);
  await expect(page.locator('body')).not.toContainText('patient');
}

async function unlock(page, passphrase = PASSPHRASE) {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** What the browser keeps for the app, as text: every value of every store. */
async function everythingStored(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('carecoord');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const out = [];
    for (const name of db.objectStoreNames) {
      const values = await new Promise((ok) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result);
      });
      for (const v of values) out.push(typeof v === 'string' ? v : JSON.stringify(v) + new TextDecoder().decode(v.c || new Uint8Array()));
    }
    db.close();
    return out.join('\n') + JSON.stringify(localStorage);
  });
}

test('with a passphrase, a reload shows the lock screen with no name on it; the passphrase opens the panel again', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('Recommended first:')).toBeVisible();
  await addPatient(page, 'Odile', 'Marchetti');
  await protect(page);
  await addPatient(page, 'Piero', 'Sansone', 'MRN-7789');
  const stored = await everythingStored(page);
  for (const secret of ['Marchetti', 'Sansone', 'MRN-7788', 'MRN-7789', '1961-03-14']) expect(stored).not.toContain(secret);

  await page.reload();
  await expectLocked(page, 'Marchetti');
  await unlock(page, 'not the passphrase');
  await expect(page.getByRole('alert')).toHaveText('That passphrase is not right.');
  await expectLocked(page, 'Sansone');

  await unlock(page);
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('CareCoord is locked');
  await page.goto('/panel');
  await expectLocked(page, 'Marchetti'); // a new page load is locked again
  await unlock(page);
  await expect(new PanelPage(page).rowLink('Marchetti, Odile')).toBeVisible();
  await expect(new PanelPage(page).rowLink('Sansone, Piero')).toBeVisible();
});

test('idle for the set minutes, the app locks', async ({ page }) => {
  await page.clock.install();
  await page.goto('/');
  await addPatient(page, 'Odile', 'Marchetti');
  await protect(page);
  await page.getByLabel('Lock after (minutes)').fill('2');
  await page.getByRole('button', { name: 'Save lock time' }).click();
  await expect(page.getByRole('status')).toHaveText('CareCoord now locks after 2 idle minutes.');
  await page.goto('/panel');
  await expectLocked(page, 'Marchetti');
  await unlock(page);
  await expect(new PanelPage(page).rowLink('Marchetti, Odile')).toBeVisible();

  await page.clock.fastForward('01:30');
  await expect(new PanelPage(page).rowLink('Marchetti, Odile')).toBeVisible();
  await page.clock.fastForward('00:40');
  await expectLocked(page, 'Marchetti');
});

test('Lock now in one tab locks the other', async ({ page, context }) => {
  await page.goto('/');
  await addPatient(page, 'Odile', 'Marchetti');
  await protect(page);
  const other = await context.newPage();
  await other.addInitScript((today) => localStorage.setItem('carecoord.today', today), TODAY);
  await other.goto('/panel');
  await expectLocked(other, 'Marchetti');
  await unlock(other);
  await expect(new PanelPage(other).rowLink('Marchetti, Odile')).toBeVisible();

  await page.getByRole('button', { name: 'Lock now' }).click();
  await expectLocked(page, 'Marchetti');
  await expectLocked(other, 'Marchetti');
});

test('an encrypted backup opens only with its passphrase, in a fresh profile', async ({ page, browser }, testInfo) => {
  await page.goto('/');
  await addPatient(page, 'Odile', 'Marchetti');
  await protect(page);
  await navigate(page, 'Data');
  const data = new DataPage(page);
  await expect(page.getByLabel('Encrypt the backup with a passphrase')).toBeChecked();
  await page.getByLabel('Backup passphrase', { exact: true }).fill('clinic safe 2026');
  await page.getByLabel('Repeat backup passphrase').fill('clinic safe 2026');
  const file = testInfo.outputPath('encrypted.json');
  await (await data.exportBackup()).saveAs(file);
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain('Marchetti');
  const envelope = JSON.parse(text);
  expect(envelope.format).toBe('carecoord-backup-encrypted');
  expect(envelope.kdf.iterations).toBeGreaterThanOrEqual(600000);

  const fresh = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page2 = await fresh.newPage();
  await page2.addInitScript((today) => localStorage.setItem('carecoord.today', today), TODAY);
  const data2 = new DataPage(page2);
  await data2.open();
  await data2.chooseBackup(file);
  await page2.getByLabel('Backup passphrase').fill('wrong guess here');
  await page2.getByRole('button', { name: 'Open backup' }).click();
  await expect(page2.getByRole('alert').filter({ hasText: 'does not open' })).toHaveText('That passphrase does not open this backup (or the file was changed).');
  await page2.getByLabel('Backup passphrase').fill('clinic safe 2026');
  await page2.getByRole('button', { name: 'Open backup' }).click();
  await page2.getByRole('button', { name: 'Replace' }).click();
  await expect(page2.getByRole('status')).toContainText('Imported 1 patient from the backup');
  await page2.goto('/panel');
  await expect(new PanelPage(page2).rowLink('Marchetti, Odile')).toBeVisible();
  await fresh.close();
});

test('the kiosk starts and searches the directory while the coordinator’s records are locked', async ({ page }) => {
  await page.goto('/');
  await addPatient(page, 'Odile', 'Marchetti');
  await navigate(page, 'Resources');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Eastside Food Pantry');
  await page.getByLabel('Organization').fill('Eastside Community Center');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Eastside Food Pantry.');
  await protect(page);
  await page.getByLabel('Kiosk PIN').fill('2468');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByRole('status')).toHaveText('Kiosk PIN set on this device.');
  await page.getByRole('button', { name: 'Start kiosk mode' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await page.getByRole('searchbox', { name: 'Search resources' }).fill('pantry');
  await expect(page.getByRole('button', { name: /Eastside Food Pantry/ })).toBeVisible();
  await expect(page.locator('body')).not.toContainText('Marchetti');
});
