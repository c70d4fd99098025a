// Writes dist/sw.js, CareCoord's service worker, from scripts/sw.template.js: the list of
// every file of the build (trunk's hashed wasm, js and css, index.html, the favicon, the
// manifest and its icons) and a cache name made from a hash of their names and contents,
// so each build has its own cache and a changed build is a changed sw.js the browser sees.
// Run after scripts/csp.mjs (index.html is final then).
// Usage: node scripts/sw.mjs [dist]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? 'dist';
const WORKER = 'sw.js';
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sw.template.js'), 'utf8');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(dist)
  .map((path) => relative(dist, path).split(sep).join('/'))
  .filter((file) => file !== WORKER && !file.startsWith('.'))
  .sort();
if (!files.includes('index.html')) {
  console.error(`sw: ${dist} has no index.html; build it first.`);
  process.exit(1);
}

const hash = createHash('sha256');
for (const file of files) {
  hash.update(file).update('\0').update(readFileSync(join(dist, file))).update('\0');
}
const build = hash.digest('hex').slice(0, 16);

const worker = template
  .replace("'carecoord-BUILD_HASH'", `'carecoord-${build}'`)
  .replace('/* FILES */ []', JSON.stringify(files, null, 2));
if (!worker.includes(`carecoord-${build}`) || worker.includes('/* FILES */')) {
  console.error('sw: scripts/sw.template.js lost its BUILD_HASH or FILES placeholder.');
  process.exit(1);
}
writeFileSync(join(dist, WORKER), worker);
const bytes = files.reduce((n, file) => n + statSync(join(dist, file)).size, 0);
console.log(`sw: ${join(dist, WORKER)} caches ${files.length} files (${(bytes / 1024).toFixed(0)} KB) as carecoord-${build}`);
