import { readdirSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';

const HSDS11 = '../shared/testdata/hsds-1.1/all_resources';
const files = readdirSync(HSDS11).filter((f) => f.endsWith('.csv') || f.endsWith('.json')).map((f) => `${HSDS11}/${f}`);

async function importSample(page) {
  await page.goto('/data');
  await page.getByLabel('Import resources').setInputFiles(files);
  const preview = page.getByRole('group', { name: 'Ready to import' }).filter({ hasText: 'HSDS' });
  await expect(preview).toContainText('13 services, 10 organizations and 10 locations can be imported.');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Import 13 resources' }).click();
  await expect(page.getByRole('status')).toHaveText('Imported 13 resources and 10 organizations.');
}

test('import the HSDS 1.1 sample, then find services by category, by a misspelt word, and print a Spanish handout', async ({ page }) => {
  await importSample(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByText('of 13 resources')).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search resources' });

  await page.getByLabel('Kind of need').selectOption('Food');
  const names = page.locator('li.resource .service-name');
  await expect(names.filter({ hasText: 'Meals To-Go at The Cross' })).toHaveCount(1);
  await expect(names.filter({ hasText: 'Never Homeless Helpline' })).toHaveCount(0);
  await page.getByLabel('Kind of need').selectOption('');

  await search.fill('homeles helpline');
  await expect(names.first()).toContainText('Never Homeless Helpline');
  const card = page.locator('li.resource').first();
  await expect(card).toContainText('Sanctuary Example City');
  await expect(card).toContainText('Mon-Wed 09:00-17:00');
  await expect(card).toContainText('Needs review');
  expect(await seriousA11yViolations(page)).toEqual([]);

  await card.getByLabel('Add to handout').check();
  await page.getByLabel('Handout language').selectOption('es');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  const handout = page.locator('.handout');
  await expect(handout).toBeVisible();
  await expect(handout.getByRole('heading', { level: 2 })).toHaveText('Recursos comunitarios para usted');
  await expect(handout).toContainText('Never Homeless Helpline');
  await expect(handout).toContainText('Horario');
  await expect(handout).toContainText('lun-mié 09:00-17:00');
  await page.emulateMedia({ media: 'screen' });

  // Verified today: off the review list.
  await page.getByRole('button', { name: 'Mark verified: Never Homeless Helpline' }).click();
  await expect(page.getByRole('status')).toHaveText('Marked as verified today.');
  await expect(card).toContainText('Information checked: 23 Nov 2026');
  await expect(card).not.toContainText('Needs review');
});

test('add a resource with the form, refer a patient to it, see the referral counted', async ({ page }, testInfo) => {
  await page.goto('/resources');
  await page.getByRole('button', { name: 'Add resource' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('The resource was not saved');
  await page.getByLabel('Name', { exact: true }).fill('Eastside Food Pantry');
  await page.getByLabel('Organization').fill('Eastside Community Center');
  await page.getByLabel('Category').selectOption('Food');
  await page.getByLabel('Phone').fill('617-555-0101');
  await page.getByLabel('Address').fill('12 Main St, Boston, MA 02118');
  await page.getByLabel('Languages').fill('English, Spanish');
  await page.getByLabel('Hours').fill('Mon-Fri 09:00-17:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Eastside Food Pantry.');
  await page.reload();
  await expect(page.locator('li.resource')).toContainText('Eastside Food Pantry');
  await expect(page.locator('li.resource')).toContainText('English, Spanish');

  await page.goto('/panel');
  await page.getByRole('button', { name: 'Add patient' }).click();
  await page.getByLabel('First name').fill('Ana');
  await page.getByLabel('Last name').fill('Lima');
  await page.getByLabel('Date of birth').fill('1970-05-05');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Lima, Ana' }).click();
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByLabel('Kind').selectOption('Community resource');
  await page.getByLabel('Referred to').fill('Eastside Food Pantry');
  await expect(page.getByText('A service in the resource directory.')).toBeVisible();
  await page.getByLabel('Reason', { exact: true }).fill('Food insecurity');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Referral to Eastside Food Pantry saved.');
  await page.goto('/resources');
  await expect(page.locator('li.resource')).toContainText('1 referral');
});

test('kiosk: directory only, no links out, no patient names, Spanish interface, idle reset, PIN to leave', async ({ page }) => {
  await importSample(page);
  // A patient whose name must never show in the kiosk.
  await page.goto('/panel');
  await page.getByRole('button', { name: 'Add patient' }).click();
  await page.getByLabel('First name').fill('Zebulon');
  await page.getByLabel('Last name').fill('Quixote');
  await page.getByLabel('Date of birth').fill('1970-05-05');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Zebulon Quixote.');
  await page.goto('/settings');
  await page.getByLabel('Kiosk PIN').fill('2468');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByRole('status')).toHaveText('Kiosk PIN set on this device.');
  await page.evaluate(() => localStorage.setItem('carecoord.kioskIdleSeconds', '3'));

  await page.getByRole('button', { name: 'Start kiosk mode' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await expect(page.locator('a')).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('Quixote');
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Food' }).click();
  await expect(page.getByRole('button', { name: /Meals To-Go at The Cross/ })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search resources' }).fill('quixote');
  await expect(page.getByText('No services match')).toBeVisible();

  await page.getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Recursos comunitarios');
  await expect(page.getByRole('searchbox', { name: 'Buscar recursos' })).toHaveValue('quixote');
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Comida' })).toBeVisible();

  // Idle: back to the start screen in English, search cleared.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources', { timeout: 8000 });
  await expect(page.getByRole('searchbox', { name: 'Search resources' })).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Food' })).toHaveAttribute('aria-pressed', 'false');

  await page.getByRole('button', { name: 'Exit kiosk' }).click();
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('That PIN is not right.');
  await page.getByLabel('PIN').fill('2468');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('kiosk fits a 1024x768 tablet in portrait and landscape', async ({ page }, testInfo) => {
  await importSample(page);
  await page.goto('/kiosk-mode');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kiosk mode');
  await page.getByRole('button', { name: 'Start kiosk mode' }).click();
  await page.getByLabel('PIN', { exact: true }).fill('1357');
  await page.getByRole('button', { name: 'Use this PIN and start' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  for (const [w, h] of [[768, 1024], [1024, 768]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/kiosk');
    await page.getByRole('button', { name: 'Housing' }).click();
    await expect(page.getByRole('button', { name: /Never Homeless Helpline/ })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() => [...document.querySelectorAll('.kiosk button')].filter((b) => b.getBoundingClientRect().height < 44).length);
    expect(small).toBe(0);
    await page.screenshot({ path: testInfo.outputPath(`kiosk-${w}x${h}.png`) });
  }
});
