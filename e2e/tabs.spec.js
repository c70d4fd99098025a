// Two tabs of CareCoord on one device: a change in one shows in the other without a reload.
import { test, expect, TODAY } from './fixtures.js';
import { PanelPage, importTemplatePanel } from './pages.js';

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

/** Adds a patient in `page` and opens their page; returns its URL. */
async function patientPage(page, fields) {
  const panel = new PanelPage(page);
  await panel.open();
  await panel.addPatient(fields);
  await panel.rowLink(`${fields['Last name']}, ${fields['First name']}`).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${fields['First name']} ${fields['Last name']}`);
  return page.url();
}

const facts = (page, term) => page.locator('dl.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

test('A edits the phone while B, drawn before, edits the notes: both are kept', async ({ page, context }) => {
  const url = await patientPage(page, { 'First name': 'Ada', 'Last name': 'Byron', 'Date of birth': '1960-12-10' });
  const second = await secondTab(context);
  const b = second.page;
  await b.goto(url);
  await b.getByRole('button', { name: 'Edit' }).click();
  await expect(b.getByLabel('Notes')).toBeVisible();

  // A changes the phone and saves; B's page follows without a reload, and its open form stays.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Phone').fill('555-0101');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Ada Byron.');
  await expect(b.getByLabel('Notes')).toBeVisible();

  // B saves its notes, made from the copy drawn before A's save.
  await b.getByLabel('Notes').fill('Prefers mornings');
  await b.getByRole('button', { name: 'Save' }).click();
  await expect(b.getByRole('status')).toHaveText('Saved Ada Byron.');
  await expect(facts(b, 'Phone')).toHaveText('555-0101');
  await expect(facts(b, 'Notes')).toHaveText('Prefers mornings');

  // A sees B's notes without a reload; and after one, both changes are on disk.
  await expect(facts(page, 'Notes')).toHaveText('Prefers mornings', { timeout: 3000 });
  await page.reload();
  await expect(facts(page, 'Phone')).toHaveText('555-0101');
  await expect(facts(page, 'Notes')).toHaveText('Prefers mornings');
  expect(second.errors).toEqual([]);
});

test('A and B both change the phone: B is told, shown what A saved, and nothing is lost', async ({ page, context }) => {
  const url = await patientPage(page, { 'First name': 'Alan', 'Last name': 'Turing', 'Date of birth': '1954-06-07' });
  const second = await secondTab(context);
  const b = second.page;
  await b.goto(url);
  await b.getByRole('button', { name: 'Edit' }).click();
  await expect(b.getByLabel('Phone')).toBeVisible();

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Phone').fill('555-0101');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved Alan Turing.');

  await b.getByLabel('Phone').fill('555-0199');
  await b.getByRole('button', { name: 'Save' }).click();
  await expect(b.getByRole('alert').filter({ hasText: 'changed in another window' })).toContainText(
    'This patient was changed in another window (both changed: phone); your change was not saved.',
  );
  // The form now holds what is stored, so a second Save is based on it.
  await expect(b.getByLabel('Phone')).toHaveValue('555-0101');

  await page.reload();
  await expect(facts(page, 'Phone')).toHaveText('555-0101');
  expect(second.errors).toEqual([]);
});

test('a referral moved in one tab shows on the other tab\'s referral page, its timeline read again', async ({ page, context }, testInfo) => {
  await importTemplatePanel(page, testInfo, 'first_name,last_name,date_of_birth,sex,mrn,assigned_provider', ['Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah', 'Tom,Well,1990-01-01,male,D-2,Dr. Adams'], 0);
  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('Díaz');
  await page.getByRole('option', { name: /Díaz/i }).click();
  await page.getByLabel('Referred to').fill('Boston Cardiology');
  await page.getByLabel('Reason').fill('Chest pain on exertion');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Referral to Boston Cardiology saved.');
  await page.getByRole('table', { name: 'Referral work list' }).getByRole('link', { name: 'Boston Cardiology' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referral to Boston Cardiology');
  const url = page.url();

  const b = await secondTab(context);
  await b.page.goto(url);
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Referral to Boston Cardiology');
  await expect(b.page.locator('ol.history li')).toHaveCount(2); // created, requested

  await page.getByLabel('Note for the status change (optional)').fill('spoke to their front desk');
  await page.getByRole('button', { name: 'Mark Accepted' }).click();
  await expect(page.locator('.status-line')).toContainText('Accepted');

  await expect(b.page.locator('.status-line')).toContainText('Accepted');
  await expect(b.page.locator('ol.history li')).toHaveCount(3);
  await expect(b.page.locator('ol.history li').last()).toContainText('spoke to their front desk');
  expect(b.errors).toEqual([]);
});
