import { chromium } from '@playwright/test';
import { staticSite } from './scripts/serve.mjs';
const dist = process.argv[2];
const server = staticSite(dist);
await new Promise((d) => server.listen(4211, '127.0.0.1', d));
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage();
await p.goto('http://127.0.0.1:4211/panel');
await p.waitForSelector('main h1');
await p.waitForTimeout(1500);
for (let i = 0; i < 3; i++) {
  await p.reload();
  await p.waitForSelector('main h1');
  await p.waitForTimeout(500);
  const t = await p.evaluate(() => {
    const r = performance.getEntriesByType('resource').filter((e) => /wasm|\.js/.test(e.name)).map((e) => [e.name.split('/').pop(), Math.round(e.startTime), Math.round(e.responseEnd)]);
    const m = performance.getEntriesByType('mark').map((e) => [e.name, Math.round(e.startTime)]);
    const h1 = performance.getEntriesByType('mark');
    return { r, m };
  });
  console.log(JSON.stringify(t.r));
  console.log(JSON.stringify(t.m));
}
await b.close(); server.close();
