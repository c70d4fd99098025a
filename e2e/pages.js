// Page objects: what a coordinator does on each page, by the stable names of UI_CONTRACT.md.
import { expect } from './fixtures.js';

export class PanelPage {
  constructor(page) {
    this.page = page;
    this.search = page.getByRole('searchbox', { name: 'Search patients' });
    this.count = page.locator('p.count');
  }

  async open() {
    await this.page.goto('/panel');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Panel' })).toBeVisible();
    await expect(this.page.getByRole('button', { name: 'Add patient' })).toBeVisible();
  }

  /** Adds a patient through the form; `fields` maps labels to values. */
  async addPatient(fields) {
    await this.page.getByRole('button', { name: 'Add patient' }).click();
    for (const [label, value] of Object.entries(fields)) {
      await this.page.getByLabel(label).fill(value);
    }
    await this.page.getByRole('button', { name: 'Save' }).click();
    await expect(this.page.getByRole('status')).toHaveText(`Saved ${fields['First name']} ${fields['Last name']}.`);
  }

  rowLink(name) {
    return this.page.getByRole('table').getByRole('link', { name });
  }
}

export class DataPage {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('/data');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();
  }

  /** Clicks Export backup and returns the download. */
  async exportBackup() {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Export backup' }).click(),
    ]);
    return download;
  }

  async chooseBackup(file) {
    await this.page.getByLabel('Import backup').setInputFiles(file);
  }
}

/**
 * Imports patients from CareCoord's CSV template through the Data page. `rows` are CSV lines
 * under `header`; `conditions` is how many problem-list entries the import should report.
 */
export async function importTemplatePanel(page, testInfo, header, rows, conditions) {
  const { writeFileSync } = await import('node:fs');
  const file = testInfo.outputPath('panel.csv');
  writeFileSync(file, [header, ...rows].join('\n'));
  await page.goto('/data');
  await page.getByLabel('Import patients').setInputFiles(file);
  await page.getByRole('button', { name: `Import ${rows.length} patients` }).click();
  await expect(page.getByRole('status')).toHaveText(`Imported ${rows.length} patients and ${conditions} condition${conditions === 1 ? '' : 's'}.`);
}
