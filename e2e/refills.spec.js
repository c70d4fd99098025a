// Refill requests on the patient page: requested → sent to provider → approved or denied →
// patient told, each step's status as text, the history kept over a reload, and a bad
// Due by date refused beside its field with nothing saved.
import { writeFileSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { PanelPage } from './pages.js';

/** One patient from CareCoord's CSV template, then their page. */
async function openPatient(page, testInfo) {
  const file = testInfo.outputPath('panel.csv');
  writeFileSync(file, ['first_name,last_name,date_of_birth,sex,mrn,conditions', 'Rita,Moreno,1958-03-14,female,R-1,'].join('\n'));
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(file);
  await page.getByRole('button', { name: /^Import 1 patient/ }).click();
  await expect(page.getByRole('status')).toContainText('Imported 1 patient');
  const panel = new PanelPage(page);
  await panel.open();
  await panel.rowLink('Moreno, Rita').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rita Moreno');
  return page.getByRole('region', { name: 'Refill requests' });
}

async function newRefill(page, card, { medication, pharmacy, requestedBy, notes }) {
  await card.getByRole('button', { name: 'New refill request' }).click();
  await card.getByLabel('Medication').fill(medication);
  if (pharmacy) await card.getByLabel('Pharmacy').fill(pharmacy);
  if (requestedBy) await card.getByLabel('Requested by').selectOption({ label: requestedBy });
  if (notes) await card.getByLabel('Insurance or prior authorization notes').fill(notes);
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText(`Refill request for ${medication} saved.`);
  await expect(card.getByRole('button', { name: 'Save' })).toHaveCount(0);
}

/**
 * Moves the request on with the button `button` (and a note), and waits for `status`; a
 * request the patient was told of folds away under "Finished", so that one is checked there.
 */
async function step(request, button, status, note) {
  if (note) await request.getByLabel('Note (optional)').fill(note);
  await request.getByRole('button', { name: button, exact: true }).click();
  if (status) await expect(request.getByTestId('refill-status')).toHaveText(status);
}

test('a refill through all its states, kept over a reload; a denied one too', async ({ page }, testInfo) => {
  const card = await openPatient(page, testInfo);
  await expect(card).toContainText('No refill requests yet.');

  await newRefill(page, card, { medication: 'Metformin 500 mg', pharmacy: 'CVS Centre St', requestedBy: 'Pharmacy', notes: 'Plan needs prior authorization after 90 days' });
  const metformin = card.getByRole('listitem', { name: 'Metformin 500 mg' });
  await expect(metformin.getByTestId('refill-status')).toHaveText('Requested');
  await expect(metformin).toContainText('CVS Centre St · requested by pharmacy on 23 Nov 2026');
  // Today is Monday 23 Nov 2026: due two business days later when left empty.
  await expect(metformin).toContainText('Due by 25 Nov 2026');
  await expect(metformin).toContainText('Plan needs prior authorization after 90 days');
  // Only the move the status allows.
  await expect(metformin.getByRole('button', { name: 'Approved' })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  await step(metformin, 'Send to provider', 'Sent to provider', 'To Dr. Okafor');
  await expect(metformin.getByLabel('Note (optional)')).toHaveValue('');
  await expect(metformin.getByRole('button', { name: 'Send to provider' })).toHaveCount(0);
  await step(metformin, 'Approved', 'Approved');
  await expect(metformin.getByRole('button', { name: 'Denied' })).toHaveCount(0);
  await step(metformin, 'Patient told', null, 'Left a voicemail');
  await expect(page.getByRole('status')).toHaveText('Metformin 500 mg: patient told.');
  await expect(card.getByRole('button', { name: 'New refill request' })).toBeFocused();

  // Finished: folded under "Finished", with no more moves.
  const finished = card.locator('details.refills-closed');
  await expect(finished.locator('> summary')).toHaveText('Finished: the patient was told (1)');
  await expect(card.getByText('No open refill requests.')).toBeVisible();
  const check = async () => {
    await finished.locator('> summary').click();
    const done = card.getByRole('listitem', { name: 'Metformin 500 mg' });
    await expect(done.getByTestId('refill-status')).toHaveText('Patient told');
    await expect(done).toContainText('Patient told (approved) · CVS Centre St');
    await expect(done.getByRole('button')).toHaveCount(0);
    await done.getByText('Status history (4)').click();
    const history = done.locator('ol.history li');
    await expect(history).toHaveText([
      /^23 Nov 2026 · Logged as requested/,
      /^23 Nov 2026 · Requested → Sent to provider.*“To Dr\. Okafor”$/,
      /^23 Nov 2026 · Sent to provider → Approved/,
      /^23 Nov 2026 · Approved → Patient told.*“Left a voicemail”$/,
    ]);
  };
  await check();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rita Moreno');
  await check();

  // A second request, denied: Denied → Patient told.
  await newRefill(page, card, { medication: 'Lisinopril 10 mg', requestedBy: 'Family or caregiver' });
  const lisinopril = card.getByRole('listitem', { name: 'Lisinopril 10 mg' });
  await expect(lisinopril).toContainText('no pharmacy given · requested by family or caregiver');
  await step(lisinopril, 'Send to provider', 'Sent to provider');
  await step(lisinopril, 'Denied', 'Denied', 'Needs a visit first');
  await expect(lisinopril.getByRole('button', { name: 'Patient told' })).toBeVisible();

  // Two days past its due date, it says so in words.
  await page.evaluate(() => localStorage.setItem('carecoord.today', '2026-11-27'));
  await page.reload();
  await expect(lisinopril).toContainText('Overdue · due by 25 Nov 2026');
  await expect(lisinopril.getByTestId('refill-status')).toHaveText('Denied');

  await step(lisinopril, 'Patient told');
  await expect(finished.locator('> summary')).toHaveText('Finished: the patient was told (2)');
  await finished.locator('> summary').click();
  await expect(lisinopril.getByTestId('refill-status')).toHaveText('Patient told');
  await expect(lisinopril).toContainText('Patient told (denied)');
  await expect(lisinopril).toContainText('Was due by 25 Nov 2026');
});

test('a bad Due by date is named beside the field and nothing is saved', async ({ page }, testInfo) => {
  const card = await openPatient(page, testInfo);
  await card.getByRole('button', { name: 'New refill request' }).click();
  await card.getByLabel('Medication').fill('Atorvastatin 20 mg');
  await card.getByLabel('Due by').fill('2026-11-01');
  await card.getByRole('button', { name: 'Save' }).click();
  const message = 'Due by 2026-11-01 is before the request (2026-11-23).';
  await expect(card.getByRole('alert')).toContainText(`The refill request was not saved: ${message}`);
  const due = card.getByLabel('Due by');
  await expect(due).toHaveAttribute('aria-invalid', 'true');
  await expect(due).toHaveAccessibleDescription(new RegExp(message.replace(/[.()]/g, '\\$&')));
  await expect(card.locator('#refill-due-error')).toHaveText(message);
  await expect(card.getByText('No refill requests yet.')).toBeVisible();

  // Medication left empty: named too, and still nothing saved after a reload.
  await card.getByLabel('Medication').fill('');
  await card.getByLabel('Due by').fill('');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.locator('#refill-medication-error')).toHaveText('Medication is required.');
  await expect(card.locator('#refill-due-error')).toHaveText('');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rita Moreno');
  await expect(card).toContainText('No refill requests yet.');
});
