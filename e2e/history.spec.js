// Care history from the EHR: the Synthea sample's observations, immunizations and
// encounters imported with its patients, so that care gaps show what was done.
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { PanelPage } from './pages.js';

const SYNTHEA = '../shared/testdata/synthea-csv';
const PATIENTS_ONLY = [`${SYNTHEA}/patients.csv`, `${SYNTHEA}/conditions.csv`];
const ALL_FIVE = [...PATIENTS_ONLY, `${SYNTHEA}/observations.csv`, `${SYNTHEA}/immunizations.csv`, `${SYNTHEA}/encounters.csv`];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "21 Jan 2024", as the app shows a date. */
function shown(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The patient of the sample with the most HbA1c results, and their latest one, read from the files. */
function latestHba1c() {
  const rows = readFileSync(`${SYNTHEA}/observations.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const byPatient = new Map();
  for (const r of rows) {
    if (r[4] !== '4548-4') continue;
    const list = byPatient.get(r[1]) ?? [];
    list.push({ date: r[0], value: r[6] });
    byPatient.set(r[1], list);
  }
  const [id, results] = [...byPatient.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const latest = results.sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  const patient = readFileSync(`${SYNTHEA}/patients.csv`, 'utf8').split('\n').find((l) => l.startsWith(id)).split(',');
  // Synthea's names carry digits ("Caleb651"), which the import drops; the panel lists "Last, First".
  const name = `${patient[8].replace(/\d+$/, '')}, ${patient[7].replace(/\d+$/, '')}`;
  return { name, date: shown(latest.date.slice(0, 10)), value: String(Number(latest.value)) };
}

async function choose(page, files) {
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(files);
  await expect(page.getByRole('heading', { name: 'Ready to import' })).toBeVisible();
}

/** The sum of the registry's open-gap counts over every condition. */
async function openGaps(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registry');
  await expect(page.locator('.loading')).toHaveCount(0);
  await expect(page.locator('table.gaps.summary').first()).toBeVisible();
  const cells = await page.locator('table.gaps.summary tbody td:nth-child(2)').allTextContents();
  return cells.reduce((sum, t) => sum + Number(t.replace(/,/g, '')), 0);
}

test('the five Synthea files together: the preview counts by item, the patient page shows the latest HbA1c, and a second import adds nothing', async ({ page }) => {
  await choose(page, ALL_FIVE);
  const preview = page.getByRole('group', { name: 'Ready to import' });
  await expect(preview.getByRole('heading', { name: 'Care history' })).toBeVisible();
  await expect(preview.locator('ul.item-counts')).toContainText(/HbA1c: \d+ results? for \d+ patients?/);
  await expect(preview.locator('ul.item-counts')).toContainText(/Flu vaccine: \d+ results? for \d+ patients?/);
  await expect(preview).toContainText(/records? with codes CareCoord does not read/);
  const button = preview.getByRole('button', { name: /^Import 25 patients and \d+ care events$/ });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByRole('status')).toContainText('Imported 25 patients');
  await expect(page.getByRole('status')).toContainText(/Imported \d+ care events/);

  const { name, date, value } = latestHba1c();
  const panel = new PanelPage(page);
  await panel.open();
  await expect(panel.count).toHaveText('25 of 25 patients');
  // The panel shows each patient's last visit.
  const row = page.locator('tr.row', { has: page.getByRole('link', { name }) });
  await expect(row.locator('td').nth(6)).toHaveText(/\d{1,2} [A-Z][a-z]{2} \d{4}/);
  await panel.rowLink(name).click();
  const latest = page.getByRole('region', { name: 'Latest care' });
  await expect(latest.getByTestId('last-visit')).toHaveText(/\d{1,2} [A-Z][a-z]{2} \d{4}/);
  await expect(latest).toContainText(`HbA1c${value} · ${date}`);

  // The same five files again: every event and encounter is already stored.
  await choose(page, ALL_FIVE);
  await expect(preview).toContainText('0 care events new');
  await expect(preview).toContainText(/already stored/);
  await expect(page.getByText('Nothing to import')).toBeVisible();
  await expect(preview.getByRole('button', { name: /^Import/ })).toBeDisabled();
  await preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(preview).toHaveCount(0);
});

test('care history closes gaps: fewer open gaps than with the patients alone', async ({ browser, baseURL }) => {
  // Two fresh contexts, so two empty devices.
  const counts = [];
  for (const files of [PATIENTS_ONLY, ALL_FIVE]) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.addInitScript(() => localStorage.setItem('carecoord.today', '2024-06-01'));
    await choose(page, files);
    await page.getByRole('button', { name: /^Import 25 patients/ }).click();
    await expect(page.getByRole('status')).toContainText('Imported 25 patients');
    counts.push(await openGaps(page));
    await context.close();
  }
  const [patientsOnly, withHistory] = counts;
  expect(patientsOnly).toBeGreaterThan(0);
  expect(withHistory).toBeLessThan(patientsOnly);
});

test('care history chosen after its patients goes to them; rows of patients not on the panel are named', async ({ page }) => {
  await choose(page, PATIENTS_ONLY);
  await page.getByRole('button', { name: 'Import 25 patients' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 25 patients');
  await choose(page, [`${SYNTHEA}/immunizations.csv`]);
  const preview = page.getByRole('group', { name: 'Ready to import' });
  await expect(preview.locator('ul.item-counts')).toContainText(/Flu vaccine: \d+ results? for \d+ patients?/);
  // The sample's two deceased patients are left out of the panel: their vaccines are named.
  await expect(preview.getByText('2 patients not on the panel')).toBeVisible();
  await expect(preview).toContainText("Patient '261ad2a4-7c6f-da54-6a5b-3441beab9a6a' of the file is not on the panel: 1 care event not imported.");
  await preview.getByRole('button', { name: /^Import \d+ care events$/ }).click();
  await expect(page.getByRole('status')).toContainText(/Imported \d+ care events/);
});

test('a long file shows its progress, and Cancel stops the reading with nothing written', async ({ page }, testInfo) => {
  // About 60 MB of observations the mapping does not read (body height): counted only.
  const file = testInfo.outputPath('observations.csv');
  const header = 'DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n';
  const row = (i) => `2023-10-10T04:17:47Z,p${i % 1000},e${i},vital-signs,8302-2,Body Height,127.9,cm,numeric\n`;
  const rows = [];
  for (let i = 0; i < 80_000; i++) rows.push(row(i));
  const block = rows.join('');
  writeFileSync(file, header + block.repeat(10));
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(file);
  const progress = page.getByRole('status').filter({ hasText: 'Reading observations.csv' });
  await expect(progress).toBeVisible();
  await page.locator('.reading').getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toHaveCount(0);
  await page.waitForTimeout(500);
  await expect(page.getByRole('heading', { name: 'Ready to import' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
