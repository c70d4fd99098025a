import { readFileSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { importTemplatePanel } from './pages.js';

const seedPanel = (page, testInfo) => importTemplatePanel(page, testInfo,
  'first_name,last_name,date_of_birth,sex,mrn,assigned_provider', [
    'Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah',
    'Tom,Well,1990-01-01,male,D-2,Dr. Adams',
  ], 0);

async function newReferral(page, { patient, to, reason, made, expected }) {
  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByLabel('Patient', { exact: true }).fill(patient);
  await page.getByRole('option', { name: new RegExp(patient, 'i') }).click();
  await page.getByLabel('Referred to').fill(to);
  await page.getByLabel('Reason').fill(reason);
  await page.getByLabel('Urgency').selectOption('Urgent');
  if (made) await page.getByLabel('Date made').fill(made);
  if (expected) await page.getByLabel('Expected reply by').fill(expected);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText(`Referral to ${to} saved.`);
}

test('a referral moves requested → accepted → in progress → completed with the report back, shown as a timeline', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('The referral was not saved');
  await expect(summary).toContainText('patient');

  await newReferral(page, { patient: 'Díaz', to: 'Boston Cardiology', reason: 'Chest pain on exertion', made: '2026-11-02' });
  const row = page.getByRole('table', { name: 'Referral work list' }).getByRole('row', { name: /Boston Cardiology/ });
  await expect(row).toContainText('Requested (awaiting reply)');
  await expect(row).toContainText('Díaz, Rosa');
  expect(await seriousA11yViolations(page)).toEqual([]);

  await row.getByRole('link', { name: 'Boston Cardiology' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Referral to Boston Cardiology');
  // Only the allowed moves are offered.
  await expect(page.getByRole('button', { name: /^Mark / })).toHaveText(['Mark Accepted', 'Mark Rejected by receiver', 'Mark Cancelled', 'Mark Entered in error']);
  await page.getByLabel('Note for the status change (optional)').fill('spoke to their front desk');
  await page.getByRole('button', { name: 'Mark Accepted' }).click();
  await expect(page.locator('.status-line')).toContainText('Accepted');
  await page.getByRole('button', { name: 'Mark In progress' }).click();
  await expect(page.locator('.status-line')).toContainText('In progress');

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Appointment date').fill('2026-11-20');
  await page.getByLabel('Report received').fill('2026-11-22');
  await page.getByLabel('Routed to provider').fill('2026-11-23');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Referral to Boston Cardiology saved.');
  await page.getByRole('button', { name: 'Mark Completed' }).click();
  await expect(page.locator('.status-line')).toContainText('Completed');
  await expect(page.getByRole('button', { name: /^Mark / })).toHaveText(['Mark Entered in error']);
  await page.screenshot({ path: testInfo.outputPath('referral.png'), fullPage: true });

  const timeline = page.getByRole('region', { name: 'Timeline' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Timeline' }) }));
  await expect(timeline.getByRole('listitem')).toHaveCount(6);
  await expect(timeline).toContainText('Draft (not sent) → Requested (awaiting reply)');
  await expect(timeline).toContainText('Requested (awaiting reply) → Accepted: spoke to their front desk');
  await expect(timeline).toContainText('Changed appointment, report received, routed to provider');
  await expect(timeline).toContainText('In progress → Completed');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Survives a reload; the patient page lists it.
  await page.reload();
  await expect(page.locator('.status-line')).toContainText('Completed');
  await page.getByRole('link', { name: 'Díaz, Rosa' }).click();
  await expect(page.getByRole('region', { name: 'Referrals' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Referrals' }) }))).toContainText('Boston Cardiology · Specialty');

  // Print: the letter only.
  await page.goBack();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.locator('.letter')).toBeVisible();
  await expect(page.locator('.letter')).toContainText('Chest pain on exertion');
  await expect(page.locator('.letter')).toContainText('D-1');
});

test('an overdue referral is under Overdue, on Today, and the CSV log has its rows', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await newReferral(page, { patient: 'Díaz', to: 'Food Bank of Eastern MA', reason: 'Food insecurity', made: '2026-11-02', expected: '2026-11-06' });
  await newReferral(page, { patient: 'Well', to: 'Sleep Clinic', reason: 'Snoring' });
  await expect(page.getByText('2 of 2 referrals')).toBeVisible();
  const overdue = page.getByRole('button', { name: /^Overdue/ });
  await expect(overdue).toHaveText('Overdue (1)');
  await overdue.click();
  await expect(overdue).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('1 of 2 referrals')).toBeVisible();
  const list = page.getByRole('table', { name: 'Referral work list' });
  const row = list.getByRole('row', { name: /Food Bank/ });
  await expect(row).toContainText('No reply since 2 Nov (expected by 6 Nov)');
  await expect(list.getByRole('row', { name: /Sleep Clinic/ })).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export referral log (CSV)' }).click();
  const lines = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('patient');
  expect(lines[1]).toContain('"Díaz, Rosa",D-1,Specialty,Food Bank of Eastern MA,Food insecurity,Urgent,Requested (awaiting reply)');
  expect(lines[1].endsWith(',yes')).toBe(true);

  await page.screenshot({ path: testInfo.outputPath('referrals.png'), fullPage: true });
  await page.getByRole('button', { name: /^All/ }).click();
  await expect(page.getByText('2 of 2 referrals')).toBeVisible();

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Referrals needing action today (1)' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Díaz, Rosa → Food Bank of Eastern MA' })).toBeVisible();

  // A visit today shows the open referrals on the card and on the huddle sheet.
  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('díaz');
  await page.getByRole('option', { name: /Díaz, Rosa/ }).click();
  await page.getByLabel('Time').fill('08:45');
  await page.getByRole('button', { name: 'Save' }).click();
  const visit = page.getByRole('listitem').filter({ hasText: '8:45 AM' });
  await expect(visit).toContainText('Open referrals: Food Bank of Eastern MA: Requested (awaiting reply) (overdue)');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.huddle-page')).toContainText('Referrals: Food Bank of Eastern MA: Requested (awaiting reply) (overdue)');
  await page.emulateMedia({ media: 'screen' });
  await visit.getByRole('link', { name: 'Díaz, Rosa' }).click();
  await expect(page.getByRole('heading', { name: 'Appointments' })).toBeVisible();
  await expect(page.getByText('Coming: Monday, 23 November 2026 8:45 AM · Dr. Shah')).toBeVisible();
});
