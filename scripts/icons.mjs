// Draws the app's PNG icons (public/icons/icon-192.png and icon-512.png) from
// public/icons/icon.svg in headless Chromium, so they can be made again after the SVG changes.
// Usage: node scripts/icons.mjs   (CHROMIUM=/path/to/chromium to use another browser)
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('public/icons/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
    const path = `public/icons/icon-${size}.png`;
    await page.screenshot({ path, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`icons: ${path}`);
  }
} finally {
  await browser.close();
}
