// The patient picker: an ARIA combobox with a listbox popup (WAI-ARIA Authoring Practices),
// used by every form that needs a patient.
import { test, expect, seriousA11yViolations } from './fixtures.js';
import { importTemplatePanel } from './pages.js';

const seedPanel = (page, testInfo) => importTemplatePanel(page, testInfo,
  'first_name,last_name,date_of_birth,sex,mrn,assigned_provider', [
    'Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah',
    'Rosalind,Park,1975-09-12,female,D-3,Dr. Adams',
    'Tom,Well,1990-01-01,male,D-2,Dr. Adams',
  ], 0);

async function openNewReferral(page) {
  await page.goto('/referrals');
  await page.getByRole('button', { name: 'New referral' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New referral' })).toBeVisible();
}

const workList = (page) => page.getByRole('table', { name: 'Referral work list' });

test('the patient combobox works with the keyboard alone: type, arrows, Enter, Escape', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await openNewReferral(page);
  const patient = page.getByRole('combobox', { name: 'Patient' });
  const listbox = page.getByRole('listbox', { name: 'Matches' });
  // Tab from the button that opened the form to the combobox.
  for (let i = 0; i < 6 && !(await patient.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(patient).toBeFocused();
  await expect(patient).toHaveAttribute('aria-autocomplete', 'list');
  await expect(patient).toHaveAttribute('aria-expanded', 'false');
  const controls = await patient.getAttribute('aria-controls');
  expect(controls).toBeTruthy();
  await expect(listbox).toBeHidden();

  // Typing filters with the panel's search.
  await page.keyboard.type('ros');
  await expect(patient).toHaveAttribute('aria-expanded', 'true');
  await expect(listbox).toBeVisible();
  await expect(listbox).toHaveAttribute('id', controls);
  const options = listbox.getByRole('option');
  await expect(options).toHaveText([/^Díaz, Rosa/, /^Park, Rosalind/]);
  await expect(patient).not.toHaveAttribute('aria-activedescendant', /.+/);

  // The arrows move the visual focus (wrapping), the input keeps the keyboard focus.
  await page.keyboard.press('ArrowDown');
  await expect(patient).toHaveAttribute('aria-activedescendant', await options.nth(0).getAttribute('id'));
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(patient).toHaveAttribute('aria-activedescendant', await options.nth(1).getAttribute('id'));
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('ArrowDown');
  await expect(patient).toHaveAttribute('aria-activedescendant', await options.nth(0).getAttribute('id'));
  await page.keyboard.press('ArrowUp');
  await expect(patient).toHaveAttribute('aria-activedescendant', await options.nth(1).getAttribute('id'));
  await expect(patient).toBeFocused();

  // Escape closes the list and keeps the text; ArrowDown opens it again.
  await page.keyboard.press('Escape');
  await expect(patient).toHaveAttribute('aria-expanded', 'false');
  await expect(listbox).toBeHidden();
  await expect(patient).toHaveValue('ros');
  await page.keyboard.press('ArrowDown');
  await expect(listbox).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');

  // Enter picks the option in focus and does not submit the form.
  await page.keyboard.press('Enter');
  await expect(patient).toHaveValue('Park, Rosalind');
  await expect(patient).toHaveAttribute('aria-expanded', 'false');
  await expect(listbox).toBeHidden();
  await expect(page.getByText('Chosen: Park, Rosalind')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The patient's own provider is proposed as the referring provider.
  await expect(page.locator('form.referral-form').getByLabel('Referring provider')).toHaveValue('Dr. Adams');

  await page.getByLabel('Referred to').fill('Boston Cardiology');
  await page.getByLabel('Reason', { exact: true }).fill('Palpitations');
  await page.getByRole('button', { name: 'Save' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Referral to Boston Cardiology saved.');
  await expect(workList(page).getByRole('row', { name: /Boston Cardiology/ })).toContainText('Park, Rosalind');
});

test('a typed name that matches one patient is accepted on Save, without picking', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);

  // Leaving the field for Save (a click).
  await openNewReferral(page);
  await page.getByLabel('Patient', { exact: true }).fill('Well');
  await page.getByLabel('Referred to').fill('Sleep Clinic');
  await page.getByLabel('Reason', { exact: true }).fill('Snoring');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Referral to Sleep Clinic saved.');
  await expect(workList(page).getByRole('row', { name: /Sleep Clinic/ })).toContainText('Well, Tom');

  // Enter in the combobox itself submits the form, which settles the typed name.
  await openNewReferral(page);
  await page.getByLabel('Referred to').fill('Boston Dermatology');
  await page.getByLabel('Reason', { exact: true }).fill('Rash');
  const patient = page.getByRole('combobox', { name: 'Patient' });
  await patient.focus();
  await page.keyboard.type('díaz');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Referral to Boston Dermatology saved.');
  await expect(workList(page).getByRole('row', { name: /Boston Dermatology/ })).toContainText('Díaz, Rosa');

  // A text that matches two patients chooses nobody: the form's own rule says so.
  await openNewReferral(page);
  await page.getByLabel('Patient', { exact: true }).fill('ros');
  await page.getByLabel('Referred to').fill('Eye Clinic');
  await page.getByLabel('Reason', { exact: true }).fill('Blurred vision');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose the patient this referral is for.');
  await expect(page.getByRole('combobox', { name: 'Patient' })).toHaveAttribute('aria-invalid', 'true');

  // Today's add-appointment form settles a typed name the same way.
  await page.goto('/');
  await page.getByRole('button', { name: 'Add appointment' }).click();
  await page.getByLabel('Patient', { exact: true }).fill('well');
  await page.getByLabel('Time').fill('10:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Appointment at 10:00 AM added to the schedule.');
  await expect(page.getByRole('listitem').filter({ hasText: '10:00 AM' })).toContainText('Well, Tom');
});

test('axe finds nothing serious on the referral form with the picker open', async ({ page }, testInfo) => {
  await seedPanel(page, testInfo);
  await openNewReferral(page);
  const patient = page.getByRole('combobox', { name: 'Patient' });
  await patient.fill('ros');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox', { name: 'Matches' })).toBeVisible();
  await expect(patient).toHaveAttribute('aria-activedescendant', /.+/);
  expect(await seriousA11yViolations(page)).toEqual([]);
  // And with a field in error, pointed at by aria-describedby.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByLabel('Referred to')).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await page.getByLabel('Referred to').getAttribute('aria-describedby');
  await expect(page.locator(`[id="${describedBy.split(' ').pop()}"]`)).toHaveText('Referred to is required.');
  expect(await seriousA11yViolations(page)).toEqual([]);
});
