import { test, expect, TODAY } from './fixtures.js';
import { PanelPage, importTemplatePanel } from './pages.js';

test('an empty panel says what to do first', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await expect(page.getByText('Your panel is empty')).toBeVisible();
  await expect(panel.count).toHaveText('0 of 0 patients');
});

test('a patient added is still there after a reload', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'María', 'Last name': 'Núñez', 'Date of birth': '1990-02-28', MRN: 'MRN-0042', Phone: '(617) 555-0101', 'Preferred language': 'Spanish' });
  await expect(panel.rowLink('Núñez, María')).toBeVisible();
  await page.reload();
  await expect(panel.rowLink('Núñez, María')).toBeVisible();
  await expect(panel.count).toHaveText('1 of 1 patients');
});

test('required fields get a message and nothing is saved', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await page.getByRole('button', { name: 'Add patient' }).click();
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Date of birth').fill('2030-01-01');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Not saved: 2 fields to fix: Last name, Date of birth.');
  await expect(page.getByText('Last name is required.')).toBeVisible();
  await expect(page.getByText('Date of birth 2030-01-01 is in the future.')).toBeVisible();
  await expect(page.getByLabel('Last name')).toHaveAttribute('aria-invalid', 'true');
  await page.reload();
  await expect(panel.count).toHaveText('0 of 0 patients');
});

test('search answers as you type, ignoring case and accents', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'María', 'Last name': 'Núñez', 'Date of birth': '1990-02-28', MRN: 'A-100' });
  await panel.addPatient({ 'First name': 'Olga', 'Last name': 'Nunes', 'Date of birth': '1962-03-14', Phone: '617-555-0199' });
  await panel.addPatient({ 'First name': 'Thanh', 'Last name': 'Nguyễn', 'Date of birth': '2001-12-01' });
  await expect(panel.count).toHaveText('3 of 3 patients');

  await panel.search.fill('nunez');
  await expect(panel.count).toHaveText('1 of 3 patients');
  await expect(panel.rowLink('Núñez, María')).toBeVisible();

  await panel.search.fill('NGUYEN');
  await expect(panel.rowLink('Nguyễn, Thanh')).toBeVisible();
  await expect(panel.count).toHaveText('1 of 3 patients');

  await panel.search.fill('555-0199');
  await expect(panel.rowLink('Nunes, Olga')).toBeVisible();
  await panel.search.fill('03/14/1962');
  await expect(panel.rowLink('Nunes, Olga')).toBeVisible();
  await panel.search.fill('a-100');
  await expect(panel.rowLink('Núñez, María')).toBeVisible();

  await panel.search.fill('zzz');
  await expect(page.getByText('No patient matches “zzz”')).toBeVisible();

  await panel.search.fill('');
  await page.getByLabel('Sort by').selectOption('Date of birth');
  const names = await page.getByRole('table').getByRole('link').allTextContents();
  expect(names).toEqual(['Nunes, Olga', 'Núñez, María', 'Nguyễn, Thanh']);
});

test('edit, history and delete on the patient page', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('Your name').fill('Dana Reyes');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved on this device.');

  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'Ana', 'Last name': 'Lima', 'Date of birth': '1970-05-05' });
  await panel.rowLink('Lima, Ana').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ana Lima');
  expect(page.url()).toMatch(/\/patients\/[0-9a-f-]{36}$/);

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Phone').fill('617-555-0100');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Ana Lima.');
  await expect(page.getByText('617-555-0100')).toBeVisible();
  const history = page.locator('ol.history li');
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('Updated phone by Dana Reyes');
  await expect(history.last()).toContainText('Created by Dana Reyes');

  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Delete Ana Lima?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/panel$/);
  await expect(page.getByRole('status')).toHaveText('Deleted Ana Lima from the panel.');
  await expect(panel.count).toHaveText('0 of 0 patients');
  await page.reload();
  await expect(panel.count).toHaveText('0 of 0 patients');
});

test('navigation marks the current page and the date is the test date', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Today' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('Monday, 23 November 2026')).toBeVisible();
  await nav.getByRole('link', { name: 'Panel' }).click();
  await expect(nav.getByRole('link', { name: 'Panel' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Today' })).not.toHaveAttribute('aria-current', 'page');
  expect(TODAY).toBe('2026-11-23');
});

test('a reload draws the first patients by name at once, then the whole panel', async ({ page }, testInfo) => {
  // 150 patients: more than the snapshot's first part (100), so a reload reads it in two.
  const rows = Array.from({ length: 150 }, (_, i) => `Pat${String(i).padStart(3, '0')},${String.fromCharCode(90 - (i % 26))}last${i},1970-01-01,female,M-${i},`);
  await importTemplatePanel(page, testInfo, 'first_name,last_name,date_of_birth,sex,mrn,conditions', rows, 0);
  // The quick-start snapshot is saved a few seconds after the import.
  await page.waitForFunction(() => performance.getEntriesByName('carecoord:snapshot-saved-patients').length > 0, null, { timeout: 20_000 });

  const panel = new PanelPage(page);
  await page.goto('/panel');
  await expect(panel.count).toHaveText('150 of 150 patients');
  // The first rows came from the snapshot's first part, before the rest was read.
  const marks = await page.evaluate(() => ['panel-first-rows', 'patients-read'].map((m) => performance.getEntriesByName(`carecoord:${m}`)[0]?.startTime));
  expect(marks[0]).toBeLessThan(marks[1]);
  const names = await page.getByRole('table').getByRole('link').allTextContents();
  const byName = rows.map((r) => r.split(',')).sort((a, b) => a[1].localeCompare(b[1])).map(([first, last]) => `${last}, ${first}`);
  expect(names.slice(0, 3)).toEqual(byName.slice(0, 3));
  expect(byName.slice(0, 3)).toEqual(['Alast103, Pat103', 'Alast129, Pat129', 'Alast25, Pat025']);
  // A patient past the first 100 by name is found, and the panel is whole on every page.
  await panel.search.fill('zlast0');
  await expect(panel.rowLink('Zlast0, Pat000')).toBeVisible();
  await page.getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registry' })).toBeVisible();
});
