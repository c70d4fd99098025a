import { writeFileSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { PanelPage } from './pages.js';

const SYNTHEA = '../shared/testdata/synthea-csv';

async function importFiles(page, files) {
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(files);
  await expect(page.getByRole('heading', { name: 'Ready to import' })).toBeVisible();
}

test('import the Synthea sample with its conditions: preview, then the panel and the registry', async ({ page }) => {
  await importFiles(page, [`${SYNTHEA}/patients.csv`, `${SYNTHEA}/conditions.csv`]);
  await expect(page.getByText('25 patients and 162 conditions can be imported.')).toBeVisible();
  await expect(page.getByText('rows left out on purpose')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  const button = page.getByRole('button', { name: 'Import 25 patients' });
  await expect(button).toBeVisible();
  await button.click();
  // The confirmation names what was left out (the two deceased patients and their
  // conditions), and the list stays under it until dismissed.
  const status = page.getByRole('status');
  await expect(status).toContainText('Imported 25 patients and 162 conditions.');
  await expect(status).toContainText('were not imported: Line');
  const leftOut = page.getByRole('list', { name: 'Rows not imported' });
  await expect(leftOut).toContainText('deceased');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(leftOut).toHaveCount(0);

  const panel = new PanelPage(page);
  await panel.open();
  await expect(panel.count).toHaveText('25 of 25 patients');
  await page.getByLabel('Condition').selectOption('Hypertension');
  await expect(panel.count).toHaveText('6 of 25 patients');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registry');
  await expect(page.getByRole('heading', { name: 'Hypertension · 6 patients' })).toBeVisible();

  // Importing the same files again finds the same patients: nothing new, nothing changes.
  await importFiles(page, [`${SYNTHEA}/patients.csv`, `${SYNTHEA}/conditions.csv`]);
  await expect(page.getByText('25 patients are already on the panel as in the file')).toBeVisible();
  await expect(page.getByText('Nothing to import')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Ready to import' })).toHaveCount(0);
});

test("a diabetic patient's gaps, closed by recording an HbA1c", async ({ page }, testInfo) => {
  const file = testInfo.outputPath('panel.csv');
  writeFileSync(file, [
    'first_name,last_name,date_of_birth,sex,mrn,conditions',
    'Rosa,Díaz,1961-04-02,female,D-1,SNOMED|44054006|Diabetes mellitus type 2',
    'Tom,Well,1990-01-01,male,D-2,',
  ].join('\n'));
  await importFiles(page, [file]);
  await page.getByRole('button', { name: 'Import 2 patients' }).click();
  await expect(page.getByRole('status')).toHaveText('Imported 2 patients and 1 condition.');

  const panel = new PanelPage(page);
  await panel.open();
  await page.getByLabel('Care gaps').selectOption('Has overdue gaps');
  await expect(panel.rowLink('Díaz, Rosa')).toBeVisible();
  await panel.rowLink('Díaz, Rosa').click();
  const hba1c = page.getByRole('row', { name: /^HbA1c/ });
  await expect(hba1c).toContainText('Overdue');
  await expect(page.getByRole('row', { name: /Retinal eye exam|Eye exam/i })).toBeVisible();
  await expect(hba1c).toContainText('now', { ignoreCase: false });
  expect(await seriousA11yViolations(page)).toEqual([]);

  await hba1c.getByRole('button', { name: 'Record HbA1c' }).click();
  await expect(page.getByLabel('Date', { exact: true })).toBeFocused();
  await page.getByLabel('Date', { exact: true }).fill('2026-11-20');
  await page.getByLabel('Result (optional)').fill('7.4');
  await page.getByRole('button', { name: 'Record care' }).click();
  await expect(page.getByRole('status')).toHaveText('Recorded HbA1c on 20 Nov 2026.');
  await expect(hba1c).toContainText('Not due');
  await expect(hba1c).toContainText('20 Nov 2026 (7.4)');
  await expect(hba1c).toContainText('20 May 2027');

  await page.reload();
  await expect(page.getByRole('row', { name: /^HbA1c/ })).toContainText('Not due');
});

test('a file with bad rows shows each by line and imports only the good ones', async ({ page }, testInfo) => {
  const file = testInfo.outputPath('bad.csv');
  writeFileSync(file, [
    'first_name,last_name,date_of_birth',
    'Ana,Lima,1970-05-05',
    'Bad,Date,1990-02-31',
    ',Nofirst,1980-01-01',
  ].join('\n'));
  await importFiles(page, [file]);
  await expect(page.getByText('2 rows cannot be imported')).toBeVisible();
  await expect(page.getByText("Line 3: date of birth '1990-02-31' is not a date.")).toBeVisible();
  await expect(page.getByText('Line 4: first name is required.')).toBeVisible();
  await page.getByRole('button', { name: 'Import 1 patient', exact: true }).click();
  const panel = new PanelPage(page);
  await panel.open();
  await expect(panel.count).toHaveText('1 of 1 patients');
});

test('FHIR bundles import with their conditions, and a foreign file is refused', async ({ page }, testInfo) => {
  await importFiles(page, [
    '../shared/testdata/fhir-bundle/Liz_Conn_27c911c6-f045-4ffa-af5d-6eba57ac94b2.json',
    '../shared/testdata/fhir-bundle/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json',
  ]);
  await page.getByRole('button', { name: 'Import 2 patients' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 2 patients');
  const panel = new PanelPage(page);
  await panel.open();
  await panel.rowLink('Conn, Liz').click();
  await expect(page.getByRole('heading', { name: 'Problem list' })).toBeVisible();
  await expect(page.locator('ul.problems')).toContainText('Hypertension');

  const foreign = testInfo.outputPath('notes.csv');
  writeFileSync(foreign, 'name,comment\nx,y\n');
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(foreign);
  await expect(page.getByRole('alert')).toContainText('Nothing was changed.');
});
