// Prints the size of what a browser downloads for one build: raw and gzip, per kind and in
// all (the files of the folder itself: dist/ for the coordinator's app, dist/kiosk/ for the
// kiosk). `--budget KB` fails (exit 1) when the gzip total is over that many KB: `make test`
// checks both builds (scripts/test-all.sh).
// Usage: node scripts/bundle-size.mjs [dist] [--json] [--budget KB]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const at = args.indexOf('--budget');
const budget = at >= 0 ? Number(args.splice(at, 2)[1]) : null;
const dir = args.find((a) => !a.startsWith('--')) ?? 'dist';
const sizes = {};
for (const name of readdirSync(dir)) {
  const kind = extname(name).slice(1);
  if (!['wasm', 'js', 'css', 'html'].includes(kind) || !statSync(join(dir, name)).isFile()) continue;
  const body = readFileSync(join(dir, name));
  const s = (sizes[kind] ??= { raw: 0, gzip: 0 });
  s.raw += body.length;
  s.gzip += gzipSync(body, { level: 9 }).length;
}
const total = Object.values(sizes).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => (n / 1024).toFixed(1);
if (args.includes('--json')) {
  console.log(JSON.stringify({ ...sizes, total }));
} else {
  const col = (n) => `${kb(n).padStart(7)} KB`;
  console.log(`${dir}/ download size      raw        gzip`);
  for (const [k, s] of Object.entries(sizes)) console.log(`  ${k.padEnd(18)} ${col(s.raw)} ${col(s.gzip)}`);
  console.log(`  ${'total'.padEnd(18)} ${col(total.raw)} ${col(total.gzip)}`);
}
if (budget !== null) {
  if (!Number.isFinite(budget) || !sizes.wasm) {
    console.error(`size budget: ${dir} has no wasm, or the budget is not a number.`);
    process.exit(1);
  }
  const over = total.gzip > budget * 1024;
  console.log(`size budget: ${dir}/ is ${kb(total.gzip)} KB gzip, budget ${budget} KB: ${over ? 'OVER' : 'ok'}`);
  process.exit(over ? 1 : 0);
}
