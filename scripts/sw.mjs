// Writes dist/sw.js, CareCoord's service worker, from scripts/sw.template.js: the list of
// every file of the build (trunk's hashed wasm, js and css, index.html, the favicon, the
// manifest and its icons) and a cache name made from a hash of their names and contents,
// so each build has its own cache and a changed build is a changed sw.js the browser sees.
// Run after scripts/csp.mjs (index.html is final then). A folder that has a worker of its own
// (dist/kiosk/, written first with --prefix carecoord-kiosk) is left out of this worker's
// files and scope.
// Usage: node scripts/sw.mjs [dist] [--prefix carecoord]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--prefix');
const prefix = at >= 0 ? args.splice(at, 2)[1] : 'carecoord';
if (!/^[a-z][a-z-]*$/.test(prefix ?? '')) {
  console.error('sw: --prefix takes lower-case letters and dashes.');
  process.exit(1);
}
const dist = args[0] ?? 'dist';
const WORKER = 'sw.js';
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sw.template.js'), 'utf8');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const all = walk(dist).map((path) => relative(dist, path).split(sep).join('/'));
const others = all.filter((file) => file.endsWith(`/${WORKER}`)).map((file) => file.slice(0, -WORKER.length));
const files = all
  .filter((file) => file !== WORKER && !file.startsWith('.') && !others.some((scope) => file.startsWith(scope)))
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
  .replace("const PREFIX = 'carecoord';", `const PREFIX = '${prefix}';`)
  .replace("'PREFIX-BUILD_HASH'", `'${prefix}-${build}'`)
  .replace('/* FILES */ []', JSON.stringify(files))
  .replace('/* OTHER_SCOPES */ []', JSON.stringify(others));
if (!worker.includes(`'${prefix}-${build}'`) || !worker.includes(`const PREFIX = '${prefix}';`) || worker.includes('/* FILES */') || worker.includes('/* OTHER_SCOPES */')) {
  console.error('sw: scripts/sw.template.js lost its PREFIX, BUILD_HASH, FILES or OTHER_SCOPES placeholder.');
  process.exit(1);
}
// Served without the template's whole-line comments and blank lines (they are for readers of
// scripts/sw.template.js, not for every download of the worker).
const served = worker.split('\n').filter((line) => !/^\s*(\/\/.*)?$/.test(line)).join('\n') + '\n';
writeFileSync(join(dist, WORKER), served);
const bytes = files.reduce((n, file) => n + statSync(join(dist, file)).size, 0);
console.log(`sw: ${join(dist, WORKER)} caches ${files.length} files (${(bytes / 1024).toFixed(0)} KB) as ${prefix}-${build}${others.length ? `, leaving ${others.join(', ')} to its own worker` : ''}`);
