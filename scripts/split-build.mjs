// Builds the coordinator's app into a folder trunk has already filled with index.html, the
// stylesheets and the icons: the wasm, split so that the first download holds only what
// starting needs and each page (src/pages/on_demand.rs) is fetched the first time it opens.
//   1. cargo builds the app with the feature `split`, linked with relocations kept;
//   2. wasm-split-cli (wasm_split_cli_support) cuts it at the pages' split points: the main
//      module, one module per group of pages and modules for code that several groups
//      share, and the JavaScript that fetches them;
//   3. wasm-bindgen writes the main module's JavaScript glue (keeping the exports the page
//      modules link to), and wasm-opt -Oz shrinks every module;
//   4. the files are named by a hash of their content (the page modules in a folder of that
//      name) and index.html gets the loader script and the preload links.
// Usage: node scripts/split-build.mjs <dist> [extra cargo features, comma separated]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const dist = process.argv[2];
if (!dist || !existsSync(join(dist, 'index.html'))) {
  console.error('split-build: give the folder trunk built (it must hold index.html).');
  process.exit(1);
}
const features = ['split', ...(process.argv[3] ?? '').split(',').filter(Boolean)].join(',');
const targetDir = resolve(process.env.CARGO_TARGET_DIR ?? 'target');
const work = join(targetDir, 'split', basename(resolve(dist)));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

// 1. The app, with relocations kept for the splitter (only the final link gets the flag,
//    so the dependencies build once for every wasm build of the project).
run('cargo', ['rustc', '--release', '--target', 'wasm32-unknown-unknown', '--bin', 'carecoord',
  '--features', features, '--', '-Clink-arg=--emit-relocs']);
const input = join(targetDir, 'wasm32-unknown-unknown', 'release', 'carecoord.wasm');

// 2. Split.
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
run('wasm-split-cli', [input, work, '--out-name', 'carecoord', '--target', 'web']);

// 3. Glue for the main module, then every module optimized for size.
run('wasm-bindgen', ['--target=web', `--out-dir=${work}`, '--out-name=carecoord', '--no-typescript',
  '--keep-lld-exports', '--no-demangle', join(work, 'carecoord.wasm')]);
rmSync(join(work, 'carecoord.wasm'));
const modules = readdirSync(work).filter((f) => f.endsWith('.wasm'));
for (const file of modules) run('wasm-opt', ['-Oz', join(work, file), '-o', join(work, file)]);

// 4. Names by content, into the dist folder.
const pages = modules.filter((f) => f !== 'carecoord_bg.wasm');
const hash = createHash('sha256');
for (const file of [...modules.sort(), 'carecoord.js', '__wasm_split.js']) hash.update(readFileSync(join(work, file)));
const h = hash.digest('hex').slice(0, 16);
const name = `carecoord-${h}`;
const lazy = `pages-${h}`;

let glue = readFileSync(join(work, 'carecoord.js'), 'utf8');
// The ES imports only: the wasm's own import module name stays "./__wasm_split.js".
const splitImport = /from (["'])\.\/__wasm_split\.js\1/g;
if (!splitImport.test(glue)) fail('the glue does not import ./__wasm_split.js');
glue = glue.replace(splitImport, `from './${name}-split.js'`);

let loader = readFileSync(join(work, '__wasm_split.js'), 'utf8');
const mainImport = /from (["'])\.\/carecoord\.js\1/g;
if (!mainImport.test(loader)) fail('the split loader does not import ./carecoord.js');
loader = loader.replace(mainImport, `from './${name}.js'`);
for (const file of pages) {
  const ref = `"./${file}"`;
  if (!loader.includes(ref)) fail(`the split loader does not fetch ${file}`);
  loader = loader.replaceAll(ref, `"./${lazy}/${file}"`);
}

for (const old of readdirSync(dist)) {
  if (/^carecoord-[0-9a-f]{16}(_bg\.wasm|\.js|-split\.js)$/.test(old) || /^pages-[0-9a-f]{16}$/.test(old)) {
    rmSync(join(dist, old), { recursive: true, force: true });
  }
}
writeFileSync(join(dist, `${name}.js`), glue);
writeFileSync(join(dist, `${name}-split.js`), loader);
cpSync(join(work, 'carecoord_bg.wasm'), join(dist, `${name}_bg.wasm`));
mkdirSync(join(dist, lazy));
for (const file of pages) cpSync(join(work, file), join(dist, lazy, file));
if (existsSync(join(work, 'snippets'))) cpSync(join(work, 'snippets'), join(dist, 'snippets'), { recursive: true });

// Which group of pages (src/pages/on_demand.rs) each address opens, by its first segment,
// as in on_demand::fetch_for: the page's modules are preloaded while the main module
// downloads, so the first page is drawn as soon as the stores are read.
const ROUTE_GROUPS = { '': 'registry', panel: 'panel', registry: 'registry', recalls: 'registry', 'care-time': 'registry',
  patients: 'patients', referrals: 'patients', resources: 'directory', 'kiosk-mode': 'directory', data: 'admin', settings: 'admin' };
const chunkFiles = Object.fromEntries([...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)].map((m) => [m[1], m[2]]));
const groupFiles = {};
for (const m of loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\)\)/g)) {
  const deps = m[3].split(',').map((d) => d.trim()).filter(Boolean);
  if (deps.some((d) => !chunkFiles[d])) fail(`the split loader names a module of ${m[1]} it does not fetch`);
  groupFiles[m[1]] = [m[2], ...deps.map((d) => chunkFiles[d])].map((f) => `/${f}`);
}
for (const group of new Set(Object.values(ROUTE_GROUPS))) if (!groupFiles[group]) fail(`no modules found for the pages of ${group}`);
const preloads = Object.fromEntries(Object.entries(ROUTE_GROUPS).map(([segment, group]) => [segment, groupFiles[group]]));

// The loader as trunk writes it (window.wasmBindings is what the benchmark calls), and the
// preloads of the first download.
const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(join(dist, file))).digest('base64')}`;
const tags = [
  `<script>{const f=${JSON.stringify(preloads)}[location.pathname.split("/")[1]];`
    + `for(const h of f||[]){const l=document.createElement("link");l.rel="preload";l.as="fetch";l.crossOrigin="anonymous";l.fetchPriority="low";l.href=h;document.head.append(l)}}</script>`,
  `<script type=module>import init, * as bindings from '/${name}.js';\n`
    + `const wasm = await init({ module_or_path: '/${name}_bg.wasm' });\n`
    + `window.wasmBindings = bindings;\n`
    + `dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));</script>`,
  `<link crossorigin href=/${name}.js integrity=${sri(`${name}.js`)} rel=modulepreload>`,
  `<link crossorigin href=/${name}-split.js integrity=${sri(`${name}-split.js`)} rel=modulepreload>`,
  `<link as=fetch crossorigin href=/${name}_bg.wasm rel=preload type=application/wasm>`,
].join('');
const page = join(dist, 'index.html');
// trunk leaves its skipped rust link in the page: the loader takes its place.
const html = readFileSync(page, 'utf8').replace(/<link\b[^>]*\bdata-trunk-skip\b[^>]*>/, '');
if (!html.includes('</head>') || html.includes('<script')) fail(`${page} must have a </head> and no script yet`);
writeFileSync(page, html.replace('</head>', `${tags}</head>`));
console.log(`split-build: ${dist}/${name}_bg.wasm first, ${pages.length} modules on demand in ${dist}/${lazy}/`);

function fail(why) {
  console.error(`split-build: ${why}`);
  process.exit(1);
}
