// The kiosk lock is a state of the device: once started, every path shows the kiosk until the
// right PIN, and nothing of a patient is on screen meanwhile.
import { test, expect } from './fixtures.js';
import { PanelPage } from './pages.js';

const NAME = 'Quixote';

async function addPatient(page) {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient({ 'First name': 'Zebulon', 'Last name': NAME, 'Date of birth': '1970-05-05' });
  await panel.rowLink(`${NAME}, Zebulon`).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Zebulon ${NAME}`);
  return new URL(page.url()).pathname;
}

async function expectKiosk(page) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community resources');
  await expect(page).toHaveURL(/\/kiosk\/$/);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(NAME);
}

async function tryPin(page, pin) {
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

test('after Start kiosk mode, Back, Forward, a reload and typed addresses all show the kiosk; 5 wrong PINs wait, across a reload; the right PIN unlocks', async ({ page }) => {
  const patientPath = await addPatient(page);
  await page.goto('/panel');
  await page.goto('/resources');

  // No PIN yet: starting asks for one first.
  await page.getByRole('button', { name: 'Start kiosk mode' }).click();
  await expect(page).toHaveURL(/\/resources$/);
  await page.getByLabel('PIN', { exact: true }).fill('12');
  await page.getByRole('button', { name: 'Use this PIN and start' }).click();
  await expect(page.getByRole('alert')).toHaveText('The PIN must be 4 to 8 digits.');
  await page.getByLabel('PIN', { exact: true }).fill('2468');
  await page.getByRole('button', { name: 'Use this PIN and start' }).click();
  await expectKiosk(page);
  const stored = await page.evaluate(() => localStorage.getItem('carecoord.kiosk'));
  expect(stored).not.toContain('2468');
  expect(JSON.parse(stored).pin.iterations).toBeGreaterThanOrEqual(600000);

  await page.goBack();
  await expectKiosk(page);
  await page.goBack();
  await expectKiosk(page);
  await page.goForward();
  await expectKiosk(page);
  await page.reload();
  await expectKiosk(page);
  for (const path of ['/panel', patientPath, '/data', '/settings', '/referrals', '/']) {
    await page.goto(path);
    await expectKiosk(page);
  }

  // Five wrong PINs: the fifth brings a 30-second wait, shown in the kiosk.
  await page.getByRole('button', { name: 'Exit kiosk' }).click();
  for (let i = 1; i <= 4; i++) {
    await tryPin(page, '1111');
    await expect(page.getByRole('alert')).toHaveText('That PIN is not right.');
  }
  await tryPin(page, '1111');
  await expect(page.getByRole('alert')).toContainText(/Too many wrong PINs\. Try again in (30|29) seconds\./);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeDisabled();

  // The wait survives a reload.
  await page.reload();
  await expectKiosk(page);
  await page.getByRole('button', { name: 'Exit kiosk' }).click();
  await expect(page.getByRole('alert')).toContainText(/Too many wrong PINs\. Try again in \d+ seconds\./);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeDisabled();
  await page.getByText('Forgot the PIN?').click();
  await expect(page.getByText('There is no back door.')).toBeVisible();

  // The clock moves past the wait (the record's deadline, as 30 seconds would).
  await page.evaluate(() => {
    const lock = JSON.parse(localStorage.getItem('carecoord.kiosk'));
    lock.wait_until_ms = Date.now() - 1;
    localStorage.setItem('carecoord.kiosk', JSON.stringify(lock));
  });
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeEnabled();
  // Another wrong one doubles the wait.
  await tryPin(page, '1111');
  await expect(page.getByRole('alert')).toContainText(/Try again in (1 minute|59 seconds)/);
  await page.evaluate(() => {
    const lock = JSON.parse(localStorage.getItem('carecoord.kiosk'));
    lock.wait_until_ms = Date.now() - 1;
    localStorage.setItem('carecoord.kiosk', JSON.stringify(lock));
  });
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeEnabled();
  await tryPin(page, '2468');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto('/panel');
  await expect(page.getByRole('table').getByRole('link', { name: `${NAME}, Zebulon` })).toBeVisible();
  expect(JSON.parse(await page.evaluate(() => localStorage.getItem('carecoord.kiosk'))).failures).toBe(0);
});

test('a kiosk lock record that cannot be read keeps the device locked, with no PIN that opens it', async ({ page }) => {
  await addPatient(page);
  await page.evaluate(() => localStorage.setItem('carecoord.kiosk', '{"locked": fal'));
  await page.goto('/panel');
  await expectKiosk(page);
  await page.getByRole('button', { name: 'Exit kiosk' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be read, so kiosk mode stays on');
  await expect(page.getByLabel('PIN', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeDisabled();
});

test('kiosk mode started in one tab takes over the other tabs of the app', async ({ page, context }) => {
  await addPatient(page);
  const other = await context.newPage();
  await other.goto('/settings');
  await other.getByLabel('Kiosk PIN').fill('97531');
  await other.getByRole('button', { name: 'Set PIN' }).click();
  await expect(other.getByRole('status')).toHaveText('Kiosk PIN set on this device.');
  await other.getByRole('button', { name: 'Start kiosk mode' }).click();
  await expectKiosk(other);
  await expectKiosk(page);
});
