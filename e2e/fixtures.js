// Shared test fixtures: every page is watched for requests that leave the origin and for
// uncaught errors, and "today" can be set (the app reads it from localStorage).
import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const TODAY = '2026-11-23';

export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    const foreign = [];
    const errors = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(baseURL) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    // Every Content-Security-Policy violation on any page of the test fails it.
    const violations = [];
    await page.exposeFunction('__carecoordCspViolation', (v) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__carecoordCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`);
      });
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && /panicked|RuntimeError|unreachable/.test(m.text())) errors.push(m.text());
    });
    await page.addInitScript((today) => {
      if (!localStorage.getItem('carecoord.today')) localStorage.setItem('carecoord.today', today);
    }, TODAY);
    await use(page);
    expect(foreign, 'no request may leave the page origin').toEqual([]);
    expect(errors, 'no uncaught error or panic').toEqual([]);
    expect(violations, 'no Content-Security-Policy violation').toEqual([]);
  },
});

export { expect };

/** Runs axe-core on the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page) {
  // Evaluated through the DevTools protocol: an inline <script> would be refused by the
  // app's Content-Security-Policy, as it should be.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
