// Prints the size of what a browser downloads from dist/: raw and gzip, per kind and in all.
// Usage: node scripts/bundle-size.mjs [dist] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'dist';
const sizes = {};
for (const name of readdirSync(dir)) {
  const kind = extname(name).slice(1);
  if (!['wasm', 'js', 'css', 'html'].includes(kind)) continue;
  const body = readFileSync(join(dir, name));
  const s = (sizes[kind] ??= { raw: 0, gzip: 0 });
  s.raw += body.length;
  s.gzip += gzipSync(body, { level: 9 }).length;
}
const total = Object.values(sizes).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...sizes, total }));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
  console.log('dist/ download size      raw        gzip');
  for (const [k, s] of Object.entries(sizes)) console.log(`  ${k.padEnd(18)} ${kb(s.raw)} ${kb(s.gzip)}`);
  console.log(`  ${'total'.padEnd(18)} ${kb(total.raw)} ${kb(total.gzip)}`);
}
