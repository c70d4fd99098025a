import { test, expect, seriousA11yViolations } from './fixtures.js';
import { PanelPage } from './pages.js';

for (const [path, heading] of [['/', 'Today'], ['/panel', 'Panel'], ['/registry', 'Registry'], ['/recalls', 'Recalls'], ['/referrals', 'Referrals'], ['/resources', 'Resources'], ['/data', 'Data'], ['/settings', 'Settings'], ['/nowhere', 'Page not found']]) {
  test(`${path} has one h1 and no serious or critical axe violations`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
}

test('the patient page, the open form and the delete dialog pass axe', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'Ana', 'Last name': 'Lima', 'Date of birth': '1970-05-05' });
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Add patient' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await panel.rowLink('Lima, Ana').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ana Lima');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test('the panel works from the keyboard alone', async ({ page }) => {
  const panel = new PanelPage(page);
  await panel.open();
  await page.getByRole('button', { name: 'Add patient' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('First name')).toBeFocused();
  await page.keyboard.type('Ana');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Lima');
  await page.getByLabel('Date of birth').fill('1970-05-05');
  await page.getByLabel('Date of birth').press('Enter');
  await expect(page.getByRole('status')).toHaveText('Saved Ana Lima.');
});
