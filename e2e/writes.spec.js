// Writes that never double or lose anything: a double-click on Save makes one record, and two
// quick changes to one record both stay.
import { test, expect } from './fixtures.js';
import { importTemplatePanel } from './pages.js';

const seedPanel = (page, testInfo) => importTemplatePanel(page, testInfo,
  'first_name,last_name,date_of_birth,sex,mrn,assigned_provider', ['Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah', 'Tom,Well,1990-01-01,male,D-2,Dr. Adams'], 0);

test('a double-click on Save makes exactly one referral, one resource and one appointment', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);

  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('Díaz');
  await page.getByRole('option', { name: /Díaz, Rosa/ }).click();
  await page.getByLabel('Referred to').fill('Boston Cardiology');
  await page.getByLabel('Reason').fill('Chest pain');
  await page.getByRole('button', { name: 'Save' }).dblclick();
  await expect(page.getByRole('status')).toHaveText('Referral to Boston Cardiology saved.');
  await page.reload();
  await expect(page.getByRole('table', { name: 'Referral work list' }).getByRole('row', { name: /Boston Cardiology/ })).toHaveCount(1);

  await page.goto('/resources');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Eastside Food Pantry');
  await page.getByLabel('Organization').fill('Eastside Community Center');
  await page.getByLabel('Category').selectOption('Food');
  await page.getByRole('button', { name: 'Save' }).dblclick();
  await expect(page.getByRole('status')).toHaveText('Saved Eastside Food Pantry.');
  await page.reload();
  await expect(page.locator('li.resource').filter({ hasText: 'Eastside Food Pantry' })).toHaveCount(1);

  await page.goto('/');
  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('diaz');
  await page.getByRole('option', { name: /Díaz, Rosa/ }).click();
  await page.getByLabel('Time').fill('09:30');
  await page.getByRole('button', { name: 'Save' }).dblclick();
  await expect(page.getByRole('status')).toHaveText('Appointment at 9:30 AM added to the schedule.');
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: 'Díaz, Rosa' })).toHaveCount(1);
});

test('two quick checklist ticks both survive a reload', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await page.goto('/');
  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('diaz');
  await page.getByRole('option', { name: /Díaz, Rosa/ }).click();
  await page.getByLabel('Time').fill('10:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Appointment at 10:00 AM added to the schedule.');

  const visit = page.getByRole('listitem').filter({ hasText: 'Díaz, Rosa' });
  // Both ticks before either write has finished: each applies to the record as stored.
  await visit.evaluate((card) => {
    for (const name of ['Labs ordered', 'Records requested']) {
      const box = [...card.querySelectorAll('label.check')].find((l) => l.textContent.includes(name)).querySelector('input');
      box.click();
    }
  });
  await expect(visit).toContainText('Pre-visit planning (2 of 4 done)');
  await page.reload();
  const again = page.getByRole('listitem').filter({ hasText: 'Díaz, Rosa' });
  await expect(again.getByLabel('Labs ordered')).toBeChecked();
  await expect(again.getByLabel('Records requested')).toBeChecked();
  await expect(again).toContainText('Pre-visit planning (2 of 4 done)');
});
