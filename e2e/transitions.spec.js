// Transitions of care and the work queue: a discharge with no contact since shows its
// missed clock on Today's Work queue (today is Monday 2026-11-23 in every test). The
// interactive contact is due within 2 business days after the day of discharge: a Thursday
// discharge is due by Monday (still due today); a Wednesday one was due by Friday.
import { writeFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';

async function onePatient(page, testInfo) {
  const file = testInfo.outputPath('panel.csv');
  writeFileSync(file, ['first_name,last_name,date_of_birth,sex,mrn', 'Rosa,Díaz,1961-04-02,female,D-1'].join('\n'));
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(file);
  await page.getByRole('button', { name: 'Import 1 patient' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 1 patient');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Panel' }).click();
  await page.getByRole('table').getByRole('link', { name: 'Díaz, Rosa' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rosa Díaz');
}

test('a discharge with no contact in its 2 business days: a missed clock on the work queue, done from there', async ({ page }, testInfo) => {
  await onePatient(page, testInfo);
  const card = page.getByRole('region', { name: 'Transitions of care' });
  await card.getByRole('button', { name: 'Record discharge' }).click();
  // No admission is open: the form asks for it too.
  await card.getByLabel('Facility').fill('Mercy General');
  await card.getByLabel('Date admitted').fill('2026-11-16');
  await card.getByLabel('Date discharged').fill('2026-11-18');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Stay and discharge recorded.');
  await expect(card).toContainText('Admitted 16 Nov 2026, discharged 18 Nov 2026');
  const contactRow = card.getByRole('row', { name: /Interactive contact within 2 business days/ });
  await expect(contactRow).toContainText('Missed');
  await expect(card.getByRole('row', { name: /Face-to-face visit by day 14/ })).toContainText('Due');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Today/ }).click();
  const queue = page.getByRole('region', { name: 'Work queue' });
  const item = queue.getByRole('listitem').filter({ hasText: 'Interactive contact within 2 business days: missed' });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Rosa Díaz');
  await expect(item).toContainText('Overdue since 20 Nov 2026');
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('.nav-count')).toHaveText(/^\d+ due$/);
  await item.getByRole('button', { name: 'Done' }).click();
  await expect(item).toHaveCount(0);
});

test('an admission asks for a call each day; the form refuses a date to come', async ({ page }, testInfo) => {
  await onePatient(page, testInfo);
  const card = page.getByRole('region', { name: 'Transitions of care' });
  await card.getByRole('button', { name: 'Record admission' }).click();
  await card.getByLabel('Facility').fill('Mercy General');
  await card.getByLabel('Date admitted').fill('2026-11-30');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByRole('alert')).toBeVisible();
  await card.getByLabel('Date admitted').fill('2026-11-20');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Admission recorded.');
  await expect(card).toContainText('Admitted 20 Nov 2026 (still in) · Mercy General');
  await expect(card.getByRole('row', { name: /Call while admitted/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('region', { name: 'Transitions of care' })).toContainText('Admitted 20 Nov 2026 (still in)');
});
