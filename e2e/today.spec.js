import { writeFileSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { importTemplatePanel } from './pages.js';

/** Two patients, one of them diabetic, from the CareCoord template. */
const seedPanel = (page, testInfo) => importTemplatePanel(page, testInfo,
  'first_name,last_name,date_of_birth,sex,mrn,assigned_provider,conditions', [
    'Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah,SNOMED|44054006|Diabetes mellitus type 2',
    'Tom,Well,1990-01-01,male,D-2,Dr. Adams,',
  ], 1);

test('schedule a visit: open gaps, pre-visit checklist and call log are saved, the huddle sheet prints without navigation', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await page.goto('/');
  await expect(page.getByText('No appointments on this day yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('diaz');
  await page.getByRole('option', { name: /Díaz, Rosa/ }).click();
  await expect(page.getByText('Chosen: Díaz, Rosa')).toBeVisible();
  await expect(page.getByLabel('Provider')).toHaveValue('Dr. Shah');
  await page.getByLabel('Time').fill('09:30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Appointment at 9:30 AM added to the schedule.');

  const visit = page.getByRole('listitem').filter({ hasText: 'Díaz, Rosa' });
  await expect(visit).toContainText('HbA1c (Overdue)');
  await visit.getByLabel('Labs ordered').check();
  await visit.getByText('Pre-visit calls (0)').click();
  await visit.getByLabel('Call outcome').selectOption('Left message');
  await visit.getByLabel('Note').fill('asked to bring glucose log');
  await visit.getByRole('button', { name: 'Log call' }).click();
  await expect(visit.getByText('Pre-visit calls (1)')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.reload();
  const again = page.getByRole('listitem').filter({ hasText: 'Díaz, Rosa' });
  await expect(again.getByLabel('Labs ordered')).toBeChecked();
  await expect(again.getByLabel('Records requested')).not.toBeChecked();
  await expect(again).toContainText('Pre-visit planning (1 of 4 done)');
  await again.getByText('Pre-visit calls (1)').click();
  await expect(again).toContainText('Left message');
  await expect(again).toContainText('asked to bring glucose log');

  await page.screenshot({ path: testInfo.outputPath('today.png'), fullPage: true });
  // Print: the huddle sheet only, one section per provider, no navigation on paper.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print huddle sheet' })).toBeHidden();
  const sheet = page.locator('.huddle-page');
  await expect(sheet).toHaveCount(1);
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('heading')).toHaveText('Huddle sheet · Dr. Shah');
  await expect(sheet).toContainText('Díaz, Rosa');
  await expect(sheet).toContainText('HbA1c (overdue)');
  await expect(sheet).toContainText('☑ Labs ordered');
  await page.screenshot({ path: testInfo.outputPath('huddle-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await expect(sheet).toBeHidden();
});

test('import the day from CSV: bad rows by line, then one page per provider', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  const file = testInfo.outputPath('day.csv');
  writeFileSync(file, [
    'date,time,mrn,last_name,first_name,date_of_birth,provider,visit_type',
    '2026-11-23,09:30,D-1,,,,Dr. Shah,Follow-up',
    '2026-11-23,10:15,,Well,Tom,1990-01-01,Dr. Adams,Annual wellness',
    '2026-11-23,11:00,D-9,,,,Dr. Adams,',
    '2026-11-23,25:00,D-2,,,,Dr. Adams,',
  ].join('\n'));
  await page.goto('/');
  await page.getByLabel('Import appointments').setInputFiles(file);
  await expect(page.getByText('2 appointments ready to import')).toBeVisible();
  const problems = page.getByRole('alert');
  await expect(problems).toContainText("Line 4: no patient with MRN 'D-9' is on the panel.");
  await expect(problems).toContainText("Line 5: time '25:00' is not a time of day");
  await page.getByRole('button', { name: 'Import 2 appointments' }).click();
  await expect(page.getByRole('status')).toHaveText('Imported 2 appointments to the schedule.');
  await expect(page.getByText('2 appointments with 2 providers.')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.huddle-page')).toHaveCount(2);
  await expect(page.locator('.huddle-page h2')).toHaveText(['Huddle sheet · Dr. Adams', 'Huddle sheet · Dr. Shah']);
});

test('recalls: an overdue patient, an outreach attempt recorded, the list exported as CSV', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await page.goto('/recalls');
  await page.getByLabel('Care item').selectOption('HbA1c');
  const row = page.getByRole('row', { name: /Díaz, Rosa/ });
  await expect(row).toContainText('HbA1c');
  await expect(row).toContainText('0');
  await row.getByRole('button', { name: 'Record outreach for Díaz, Rosa (HbA1c)' }).click();
  await page.getByLabel('Method').selectOption('Phone call');
  await page.getByLabel('Outcome').selectOption('Left message');
  await page.getByRole('button', { name: 'Save outreach' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'recorded' })).toHaveText('Outreach to Díaz, Rosa recorded.');
  await expect(row).toContainText('Left message · 23 Nov 2026');
  expect(await seriousA11yViolations(page)).toEqual([]);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export recall list (CSV)' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('patient,phone,item,due_since,attempts,last_attempt,last_outcome');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('"Díaz, Rosa",,HbA1c,');
  expect(lines[1]).toContain(',1,2026-11-23,Left message');
});

test('care profile and a clinic rule: need level with a reason, a flag filter, a disabled rule', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await page.goto('/panel');
  await page.getByRole('link', { name: 'Díaz, Rosa' }).click();
  await page.getByRole('button', { name: 'Update care profile' }).click();
  await page.getByLabel('Need level').selectOption('3');
  await page.getByRole('button', { name: 'Save care profile' }).click();
  await expect(page.getByRole('alert')).toContainText('Say why the need level changes');
  await page.getByLabel('Reason for the change').fill('A1c rising');
  await page.getByLabel('Flags').fill('transport barrier, needs interpreter');
  await page.getByRole('button', { name: 'Save care profile' }).click();
  await expect(page.getByRole('status')).toHaveText('Care profile saved.');
  await expect(page.locator('dl.facts').last()).toContainText('3 · high need (set 23 Nov 2026: A1c rising)');

  await page.goto('/panel');
  await page.getByLabel('Flag').selectOption('transport barrier');
  await expect(page.getByText('1 of 2 patients')).toBeVisible();
  await page.getByLabel('Flag').selectOption('');
  await page.getByLabel('Need level').selectOption('3');
  await expect(page.getByText('1 of 2 patients')).toBeVisible();

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Edit rule HbA1c' }).click();
  await page.getByLabel('In use (untick to disable the rule)').uncheck();
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByRole('status')).toContainText('Rule “HbA1c” saved');
  await expect(page.getByRole('row', { name: /^HbA1c/ })).toContainText('Disabled');
  await page.reload();
  await expect(page.getByRole('row', { name: /^HbA1c/ })).toContainText('Disabled');
  await expect(page.getByRole('row', { name: /^Diabetic eye exam/ })).toContainText('In use');
  await page.goto('/panel');
  await page.getByRole('link', { name: 'Díaz, Rosa' }).click();
  await expect(page.getByRole('row', { name: /^HbA1c/ })).toHaveCount(0);
});
