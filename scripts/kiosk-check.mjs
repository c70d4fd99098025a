// Checks that the kiosk build has no code for the coordinator's private stores: none of
// their names (from the one declaration, src/model/stores.rs, every store marked `private`)
// occurs anywhere in the kiosk's wasm, while each does in the coordinator's app (so the
// check itself is seen to work). Run by `make test` (scripts/test-all.sh).
// Usage: node scripts/kiosk-check.mjs [dist]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const wasm = (dir) => {
  const name = readdirSync(dir).find((f) => f.endsWith('_bg.wasm'));
  if (!name) throw new Error(`no wasm in ${dir}`);
  return readFileSync(join(dir, name)).toString('latin1');
};
const declaration = readFileSync('src/model/stores.rs', 'utf8');
const stores = [...declaration.matchAll(/^\s*([a-z_]+): \$crate::model::[^;]*\bprivate;$/gm)].map((m) => m[1]);
if (stores.length < 10) {
  console.error(`kiosk check: found only ${stores.length} private stores in src/model/stores.rs; has the declaration moved?`);
  process.exit(1);
}
const [app, kiosk] = [wasm(dist), wasm(join(dist, 'kiosk'))];
const inKiosk = stores.filter((s) => kiosk.includes(s));
const notInApp = stores.filter((s) => !app.includes(s));
if (notInApp.length) {
  console.error(`kiosk check: the app's wasm does not name ${notInApp.join(', ')}: the check cannot see them.`);
  process.exit(1);
}
if (inKiosk.length) {
  console.error(`kiosk check: the kiosk's wasm names private stores: ${inKiosk.join(', ')}.`);
  process.exit(1);
}
console.log(`kiosk check: none of the ${stores.length} private stores (${stores.join(', ')}) is named in the kiosk's wasm.`);
