import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { DataPage, PanelPage } from './pages.js';

async function addThree(page) {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'María', 'Last name': 'Núñez', 'Date of birth': '1990-02-28', MRN: 'A-1', 'Preferred language': 'Spanish' });
  await panel.addPatient({ 'First name': 'Olga', 'Last name': 'Nunes', 'Date of birth': '1962-03-14' });
  await panel.addPatient({ 'First name': 'Thanh', 'Last name': 'Nguyễn', 'Date of birth': '2001-12-01', Phone: '617-555-0101' });
}

/** Three patients on the panel, exported; returns the Data page, the file and its parsed content. */
async function threePatientsExported(page, testInfo) {
  await addThree(page);
  const data = new DataPage(page);
  await data.open();
  const file = testInfo.outputPath('backup.json');
  await (await data.exportBackup()).saveAs(file);
  return { data, file, backup: JSON.parse(readFileSync(file, 'utf8')) };
}

test('export, then import into a fresh browser profile, gives back the same records', async ({ page, browser }, testInfo) => {
  await addThree(page);
  const data = new DataPage(page);
  await data.open();
  const download = await data.exportBackup();
  expect(download.suggestedFilename()).toBe('carecoord-backup-2026-11-23.json');
  const file = testInfo.outputPath('backup.json');
  await download.saveAs(file);
  await expect(page.getByRole('status')).toHaveText('Exported 3 patients to carecoord-backup-2026-11-23.json.');
  const original = JSON.parse(readFileSync(file, 'utf8'));
  expect(original.format).toBe('carecoord-backup');
  expect(Number.isInteger(original.schema_version)).toBe(true);
  expect(original.exported_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(original.stores.patients).toHaveLength(3);
  expect(original.stores.changes).toHaveLength(3);

  // A fresh context is an empty browser profile: its own IndexedDB.
  const fresh = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page2 = await fresh.newPage();
  const data2 = new DataPage(page2);
  await data2.open();
  await data2.chooseBackup(file);
  await expect(page2.getByText('holds 3 patients and 3 recorded changes')).toBeVisible();
  await page2.getByRole('button', { name: 'Replace' }).click();
  await expect(page2.getByRole('status')).toHaveText('Imported 3 patients from the backup (replacing everything).');

  await page2.reload();
  const panel2 = new PanelPage(page2);
  await panel2.open();
  await expect(panel2.count).toHaveText('3 of 3 patients');

  await data2.open();
  const again = await data2.exportBackup();
  const file2 = testInfo.outputPath('backup2.json');
  await again.saveAs(file2);
  const copy = JSON.parse(readFileSync(file2, 'utf8'));
  const byId = (a, b) => a.id.localeCompare(b.id);
  expect(copy.stores.patients.sort(byId)).toEqual(original.stores.patients.sort(byId));
  // Every original change is kept; the import adds one entry of its own.
  const ids = new Set(copy.stores.changes.map((c) => c.id));
  for (const c of original.stores.changes) expect(ids.has(c.id)).toBe(true);
  expect(copy.stores.changes).toHaveLength(4);
  await fresh.close();
});

test('merge adds and updates by id without removing anyone', async ({ page }, testInfo) => {
  const { data, file, backup } = await threePatientsExported(page, testInfo);
  backup.stores.patients = backup.stores.patients.filter((p) => p.first_name === 'Olga');
  backup.stores.patients[0].phone = '617-555-0123';
  backup.stores.patients.push({ ...backup.stores.patients[0], id: '0f0e0d0c-0000-4000-8000-000000000001', first_name: 'Nina', mrn: '' });
  writeFileSync(file, JSON.stringify(backup));

  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'Zed', 'Last name': 'Local', 'Date of birth': '1980-01-01' });
  await data.open();
  await data.chooseBackup(file);
  await page.getByRole('button', { name: 'Merge' }).click();
  await expect(page.getByRole('status')).toHaveText('Imported 2 patients from the backup (merged by id).');
  await panel.open();
  await expect(panel.count).toHaveText('5 of 5 patients');
  await panel.search.fill('617-555-0123');
  await expect(panel.rowLink('Nunes, Olga')).toBeVisible();
});

test('a malformed backup is refused with a reason and nothing changes', async ({ page }, testInfo) => {
  const { data, file, backup } = await threePatientsExported(page, testInfo);
  backup.stores.patients[1].date_of_birth = '1990-02-31';
  writeFileSync(file, JSON.stringify(backup));
  await data.chooseBackup(file);
  await expect(page.getByRole('alert')).toContainText("Patient 2: date of birth '1990-02-31' is not a date.");
  await expect(page.getByRole('alert')).toContainText('Nothing was changed.');
  await expect(page.getByRole('button', { name: 'Replace' })).toHaveCount(0);

  const notJson = testInfo.outputPath('notes.json');
  writeFileSync(notJson, '{"format": "carecoord-backup", "schema_version": 2,');
  await data.chooseBackup(notJson);
  await expect(page.getByRole('alert')).toContainText('not valid JSON');

  const newer = testInfo.outputPath('newer.json');
  writeFileSync(newer, JSON.stringify({ ...backup, schema_version: 99 }));
  await data.chooseBackup(newer);
  await expect(page.getByRole('alert')).toContainText('newer version of CareCoord (schema 99)');

  const panel = new PanelPage(page);
  await panel.open();
  await expect(panel.count).toHaveText('3 of 3 patients');
  await panel.search.fill('nunez');
  await expect(panel.rowLink('Núñez, María')).toBeVisible();
});

test('an older backup (schema 1) is brought up to date on import', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('v1.json');
  writeFileSync(file, JSON.stringify({
    format: 'carecoord-backup', schema_version: 1, exported_at: '2026-01-01T00:00:00Z',
    stores: { patients: [{ id: 'p1', first_name: 'Ana', last_name: 'Lima', date_of_birth: '1970-05-05', language: 'Portuguese (interpreter)', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }] },
  }));
  const data = new DataPage(page);
  await data.open();
  await data.chooseBackup(file);
  await expect(page.getByText('from an older version of CareCoord')).toBeVisible();
  await page.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 1 patient ');
  await page.goto('/patients/p1');
  await expect(page.getByText('Portuguese (needs an interpreter)')).toBeVisible();
});

test('a backup carries the appointments, referrals and resource directory into a fresh profile', async ({ page, browser }, testInfo) => {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'Ana', 'Last name': 'Lima', 'Date of birth': '1970-05-05' });

  await page.goto('/resources');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Eastside Food Pantry');
  await page.getByLabel('Organization').fill('Eastside Community Center');
  await page.getByLabel('Hours').fill('Mon-Fri 09:00-17:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Eastside Food Pantry.');

  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('lima');
  await page.getByRole('option', { name: /Lima, Ana/ }).click();
  await page.getByLabel('Kind').selectOption('Community resource');
  await page.getByLabel('Referred to').fill('Eastside Food Pantry');
  await page.getByLabel('Reason', { exact: true }).fill('Food insecurity');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Referral to Eastside Food Pantry saved.');

  await page.goto('/');
  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('lima');
  await page.getByRole('option', { name: /Lima, Ana/ }).click();
  await page.getByLabel('Time').fill('10:15');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Appointment at 10:15 AM added to the schedule.');

  const data = new DataPage(page);
  await data.open();
  const file = testInfo.outputPath('everything.json');
  await (await data.exportBackup()).saveAs(file);
  const backup = JSON.parse(readFileSync(file, 'utf8'));
  expect(backup.stores.referrals).toHaveLength(1);
  expect(backup.stores.services).toHaveLength(1);
  expect(backup.stores.appointments).toHaveLength(1);
  expect(backup.stores.referrals[0].service_id).toBe(backup.stores.services[0].id);

  const fresh = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page2 = await fresh.newPage();
  await page2.addInitScript(() => localStorage.setItem('carecoord.today', '2026-11-23'));
  const data2 = new DataPage(page2);
  await data2.open();
  await data2.chooseBackup(file);
  await page2.getByRole('button', { name: 'Replace' }).click();
  await expect(page2.getByRole('status')).toContainText('Imported 1 patient from the backup');
  await page2.goto('/referrals');
  await expect(page2.getByRole('table', { name: 'Referral work list' })).toContainText('Eastside Food Pantry');
  await page2.goto('/resources');
  await expect(page2.locator('li.resource')).toContainText('1 referral');
  await page2.goto('/');
  await expect(page2.getByRole('listitem').filter({ hasText: 'Lima, Ana' })).toContainText('10:15 AM');
  await fresh.close();
});
