// Importing a patient file again keeps what the coordinator added, and record ids in
// addresses are CareCoord's own, never the file's (a FHIR Patient.id can be an MRN).
import { writeFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';

const patient = (city) => JSON.stringify({
  resourceType: 'Patient', id: 'MRN-884422', gender: 'female', birthDate: '1961-04-02',
  name: [{ family: 'Okafor', given: ['Ada'] }],
  telecom: [{ system: 'phone', value: '555-201-3344' }],
  address: [{ use: 'home', line: ['12 Elm St'], city, state: 'MA', postalCode: '02139' }],
});

async function choose(page, file) {
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(file);
}

test('re-importing keeps the care profile and a corrected phone; only what the file changed is updated; ids in the address bar are our own', async ({ page }, testInfo) => {
  const first = testInfo.outputPath('Patient.ndjson');
  writeFileSync(first, patient('Cambridge') + '\n');
  await choose(page, first);
  await page.getByRole('button', { name: 'Import 1 patient' }).click();
  await expect(page.getByRole('status')).toContainText('Imported 1 patient');

  await page.goto('/panel');
  await page.getByRole('table').getByRole('link', { name: 'Okafor, Ada' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ada Okafor');
  const path = new URL(page.url()).pathname;
  expect(path).toMatch(/^\/patients\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(path).not.toContain('884422');

  // The coordinator's work: a need level and a corrected phone.
  await page.getByRole('button', { name: 'Update care profile' }).click();
  await page.getByLabel('Need level').selectOption('3');
  await page.getByLabel('Reason for the change').fill('two ED visits');
  await page.getByRole('button', { name: 'Save care profile' }).click();
  await expect(page.getByText('two ED visits')).toBeVisible();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Phone').fill('555-777-0000');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('555-777-0000')).toBeVisible();

  // The same file again: nothing to import.
  await choose(page, first);
  await expect(page.getByText('Nothing to import')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The file with a new city: only the address changes.
  const moved = testInfo.outputPath('Patient-moved.ndjson');
  writeFileSync(moved, patient('Somerville') + '\n');
  await choose(page, moved);
  await expect(page.getByText('Will update 1 patient: address (1).')).toBeVisible();
  await page.getByRole('button', { name: 'Import 1 patient', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Updated 1 patient already on the panel.');

  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ada Okafor');
  await expect(page.getByText('Somerville')).toBeVisible();
  await expect(page.getByText('555-777-0000')).toBeVisible();
  await expect(page.getByText('two ED visits')).toBeVisible();
});
