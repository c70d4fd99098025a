import { readdirSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { importTemplatePanel } from './pages.js';
const HSDS11 = '../shared/testdata/hsds-1.1/all_resources';
const files = readdirSync(HSDS11).map((f) => `${HSDS11}/${f}`);
test('shots', async ({ page }, testInfo) => {
  await importTemplatePanel(page, testInfo, 'first_name,last_name,date_of_birth,sex,mrn,assigned_provider,conditions', [
    'Rosa,Díaz,1961-04-02,female,D-1,Dr. Shah,SNOMED|44054006|Diabetes mellitus type 2',
    'Tom,Well,1990-01-01,male,D-2,Dr. Adams,SNOMED|38341003|Hypertension',
  ], 2);
  await page.goto('/data');
  await page.getByLabel('Import resources').setInputFiles(files);
  await page.screenshot({ path: '/tmp/shot-data-preview.png', fullPage: true });
  await page.getByRole('button', { name: 'Import 13 resources' }).click();
  await page.goto('/resources');
  await page.screenshot({ path: '/tmp/shot-resources.png' });
  await page.goto('/settings');
  await page.screenshot({ path: '/tmp/shot-settings.png', fullPage: true });
  await page.goto('/panel');
  await page.getByRole('link', { name: 'Díaz, Rosa' }).click();
  await page.screenshot({ path: '/tmp/shot-patient.png', fullPage: true });
  await page.getByRole('button', { name: 'New referral' }).click();
  await page.screenshot({ path: '/tmp/shot-newref.png', fullPage: true });
  await page.goto('/recalls');
  await page.screenshot({ path: '/tmp/shot-recalls.png', fullPage: true });
  await page.goto('/kiosk');
  await page.getByRole('button', { name: 'Food' }).click();
  await page.getByRole('button', { name: /Meals To-Go/ }).click();
  await page.screenshot({ path: '/tmp/shot-kiosk-details.png', fullPage: true });
});
