// The contact log on the patient page and the chronic-care month (/care-time).
import { readFileSync } from 'node:fs';
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { importTemplatePanel } from './pages.js';

const HEADER = 'first_name,last_name,date_of_birth,sex,mrn,conditions';
const ROWS = [
  // Eligible once CCM consent is on file: two chronic conditions.
  'Rosa,Díaz,1961-04-02,female,D-1,SNOMED|44054006|Diabetes mellitus type 2;SNOMED|38341003|Hypertension',
  // One chronic condition: her time is shown apart.
  'Tom,Well,1990-01-01,male,D-2,SNOMED|38341003|Hypertension',
];

/** The panel imported, the coordinator named, and Rosa's CCM consent on file; on her page. */
async function setUp(page, testInfo) {
  await page.goto('/settings');
  await page.getByLabel('Your name').fill('Dana Cole');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved on this device.');
  await importTemplatePanel(page, testInfo, HEADER, ROWS, 3);
  await openPatient(page, 'Díaz, Rosa');
  await page.getByRole('button', { name: 'Update care profile' }).click();
  await page.getByLabel('CCM consent date').fill('2026-11-02');
  await page.getByRole('button', { name: 'Save care profile' }).click();
  await expect(page.getByRole('status')).toHaveText('Care profile saved.');
}

async function openPatient(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Panel' }).click();
  await page.getByRole('table').getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
}

/** Logs a contact through the form: today's date, `minutes`, a medication review. */
/** The Contacts card: the form's fields are looked up inside it (Care gaps has a Date too). */
function contactsCard(page) {
  return page.getByRole('region', { name: 'Contacts' });
}

async function logContact(page, minutes, purpose = 'Medication review') {
  await page.getByRole('button', { name: 'Log contact' }).click();
  await expect(contactsCard(page).getByLabel('Date', { exact: true })).toBeFocused();
  await expect(contactsCard(page).getByLabel('Date', { exact: true })).toHaveValue('2026-11-23');
  await contactsCard(page).getByLabel('Minutes').fill(String(minutes));
  await contactsCard(page).getByLabel('With', { exact: true }).selectOption({ label: 'Patient' });
  await contactsCard(page).getByLabel('Method').selectOption({ label: 'Phone' });
  await contactsCard(page).getByLabel('Purpose').selectOption({ label: purpose });
  await contactsCard(page).getByLabel('Outcome').selectOption({ label: 'Reached' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Logged the contact: ${minutes} minutes on 23 Nov 2026.`);
}

function contactRows(page) {
  return page.getByRole('region', { name: 'Contacts' }).getByRole('row').filter({ has: page.getByRole('cell') });
}

test('contacts of 12 and 13 minutes: 25 minutes and 99490 on Care time', async ({ page }, testInfo) => {
  await setUp(page, testInfo);
  const card = page.getByRole('region', { name: 'Contacts' });
  await expect(card).toContainText('No contacts logged yet.');

  // A form problem is said beside the field and in an alert.
  await page.getByRole('button', { name: 'Log contact' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Minutes must be a whole number from 1 to 240.');
  await expect(page.getByRole('alert')).toContainText('Choose the purpose of the contact.');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Log contact' })).toBeFocused();

  await logContact(page, 12);
  await logContact(page, 13, 'Care-plan update');
  await expect(card).toContainText('This month: 25 minutes');
  await expect(contactRows(page)).toHaveCount(2);
  await expect(contactRows(page).first()).toContainText('23 Nov 2026');
  await expect(contactRows(page).first()).toContainText('Dana Cole');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Tom's time is not billable: one chronic condition, no consent.
  await openPatient(page, 'Well, Tom');
  await logContact(page, 7, 'Community resources');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Care time' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Care time' })).toBeVisible();
  await expect(page.getByLabel('Month', { exact: true })).toHaveValue('2026-11');
  const eligible = page.getByRole('region', { name: 'Eligible patients' });
  const rosa = eligible.getByRole('row', { name: /Díaz, Rosa/ });
  await expect(rosa).toContainText('25');
  await expect(rosa).toContainText('99490');
  await expect(rosa).toContainText('Dana Cole');
  const others = page.getByRole('region', { name: 'Time logged, not eligible' });
  await expect(others.getByRole('row', { name: /Well, Tom/ })).toContainText('1 chronic condition (2 needed)');
  await expect(eligible.getByRole('row', { name: /Well, Tom/ })).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);

  // October: her consent came in November, and no time was logged then.
  await page.getByLabel('Month', { exact: true }).fill('2026-10');
  await expect(eligible).toContainText('No patient is eligible this month');
  await expect(page.getByRole('region', { name: 'Time logged, not eligible' })).toHaveCount(0);
});

test('close to a threshold, and the month as CSV for billing', async ({ page }, testInfo) => {
  await setUp(page, testInfo);
  await logContact(page, 16);
  await page.goto('/care-time');
  const close = page.getByRole('region', { name: 'Close to a threshold' });
  await expect(close.getByRole('listitem')).toHaveText('Díaz, Rosa: 16 minutes logged, 4 short of 20 (99490); 8 days left in the month');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export month (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('carecoord-care-time-2026-11.csv');
  const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('patient,mrn,month,minutes,codes,staff,dates');
  expect(lines.slice(1)).toEqual(['"Díaz, Rosa",D-1,2026-11,16,,Dana Cole,2026-11-23']);
  await expect(page.getByRole('status')).toHaveText('Exported 1 patient to CSV.');
});

test('a contact edited and another deleted: minutes follow and the journal holds both', async ({ page }, testInfo) => {
  await setUp(page, testInfo);
  await logContact(page, 12);
  await logContact(page, 13, 'Care-plan update');

  // Edit the 12-minute contact to 20.
  const twelve = contactRows(page).filter({ hasText: 'Medication review' });
  await twelve.getByRole('button', { name: 'Edit' }).click();
  await expect(contactsCard(page).getByLabel('Minutes')).toHaveValue('12');
  await contactsCard(page).getByLabel('Minutes').fill('20');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Saved the contact: 20 minutes on 23 Nov 2026.');
  await expect(page.getByRole('region', { name: 'Contacts' })).toContainText('This month: 33 minutes');

  // Delete the 13-minute one, asked again first.
  const thirteen = contactRows(page).filter({ hasText: 'Care-plan update' });
  await thirteen.getByRole('button', { name: 'Delete' }).click();
  await expect(thirteen.getByRole('button', { name: 'Delete contact' })).toBeFocused();
  await thirteen.getByRole('button', { name: 'Delete contact' }).click();
  await expect(page.getByRole('status')).toHaveText('Deleted the contact of 23 Nov 2026.');
  await expect(contactRows(page)).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Contacts' })).toContainText('This month: 20 minutes');

  // Stored: a reload shows the same.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Contacts' })).toContainText('This month: 20 minutes');
  await expect(contactRows(page)).toHaveCount(1);

  // The journal: two contacts created, one updated (its minutes), one deleted, by Dana Cole.
  const journal = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('carecoord');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction('changes').objectStore('changes').getAll();
      all.onsuccess = () => resolve(all.result.map((v) => (typeof v === 'string' ? JSON.parse(v) : v)));
      all.onerror = () => reject(all.error);
    };
  }));
  const contacts = journal.filter((c) => c.entity === 'contacts').map((c) => `${c.action} ${c.summary} by ${c.by}`).sort();
  expect(contacts).toEqual([
    'created 12 minutes, medication review by Dana Cole',
    'created 13 minutes, care-plan update by Dana Cole',
    'deleted 13 minutes on 2026-11-23 by Dana Cole',
    'updated minutes by Dana Cole',
  ]);

  await page.goto('/care-time');
  await expect(page.getByRole('region', { name: 'Eligible patients' }).getByRole('row', { name: /Díaz, Rosa/ })).toContainText('99490');
});

test('the timer fills in the minutes', async ({ page }, testInfo) => {
  // Fake timers from the start, so the app's interval and clock are the page's.
  await page.clock.install();
  await setUp(page, testInfo);
  await page.getByRole('button', { name: 'Start timer' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeFocused();
  await page.clock.fastForward('07:10');
  await expect(page.getByRole('timer')).toContainText(': 7 minutes');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(contactsCard(page).getByLabel('Minutes')).toHaveValue('7');
  await contactsCard(page).getByLabel('Purpose').selectOption({ label: 'Patient or caregiver contact' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Logged the contact: 7 minutes on 23 Nov 2026.');
});

test('a month marked complex bills 99487 from 60 minutes', async ({ page }, testInfo) => {
  await setUp(page, testInfo);
  await logContact(page, 65);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Care time' }).click();
  const eligible = page.getByRole('region', { name: 'Eligible patients' });
  const rosa = eligible.getByRole('row', { name: /Díaz, Rosa/ });
  await expect(rosa).toContainText('99490, 99439 x2');
  const complex = rosa.getByRole('checkbox', { name: 'Complex this month: Díaz, Rosa' });
  await expect(complex).not.toBeChecked();
  await complex.check();
  await expect(rosa).toContainText('99487');
  await expect(rosa).not.toContainText('99490');
  // Kept on the patient: a reload shows it still complex in November, and not in October.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Eligible patients' }).getByRole('checkbox', { name: 'Complex this month: Díaz, Rosa' })).toBeChecked();
});
