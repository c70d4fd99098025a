// Two tabs of CareCoord on one device: a change in one shows in the other without a reload.
import { test, expect, TODAY } from './fixtures.js';
import { PanelPage } from './pages.js';

/** A second tab in the same browser context (same IndexedDB), watched for errors too. */
async function secondTab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|RuntimeError|unreachable/.test(m.text())) errors.push(m.text());
  });
  await page.addInitScript((today) => {
    if (!localStorage.getItem('carecoord.today')) localStorage.setItem('carecoord.today', today);
  }, TODAY);
  return { page, errors };
}

test('a patient added or deleted in one tab shows in the other without a reload', async ({ page, context }) => {
  const a = new PanelPage(page);
  await a.open();
  const second = await secondTab(context);
  const b = new PanelPage(second.page);
  await b.open();
  await expect(b.count).toHaveText('0 of 0 patients');

  await a.addPatient({ 'First name': 'María', 'Last name': 'Núñez', 'Date of birth': '1990-02-28', MRN: 'MRN-0042' });
  await expect(b.rowLink('Núñez, María')).toBeVisible({ timeout: 3000 });
  await expect(b.count).toHaveText('1 of 1 patients');

  await a.rowLink('Núñez, María').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('María Núñez');
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status')).toHaveText('Deleted María Núñez from the panel.');

  await expect(b.rowLink('Núñez, María')).toBeHidden({ timeout: 3000 });
  await expect(b.count).toHaveText('0 of 0 patients');
  // Nothing about other tabs to say: both are on the same version.
  await expect(second.page.getByText('CareCoord was updated in another tab')).toHaveCount(0);
  expect(second.errors, 'no uncaught error or panic in the second tab').toEqual([]);
});
