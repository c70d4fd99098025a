// Finishes the Content-Security-Policy of a built index.html: trunk writes its wasm loader as
// an inline module script whose text names the hashed file names of this build, so its
// sha256 changes with every build. This puts that hash where index.html's policy says
// 'sha256-TRUNK-LOADER', and fails the build if the policy or the loader is missing.
// Usage: node scripts/csp.mjs [dist]
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const PLACEHOLDER = "'sha256-TRUNK-LOADER'";
const file = join(process.argv[2] ?? 'dist', 'index.html');
let html = readFileSync(file, 'utf8');

const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0) {
  console.error(`csp: ${file} has no inline loader script; nothing to hash.`);
  process.exit(1);
}
const hashes = inline.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);

// The policy's meta tag, with its attributes in any order and quoted or not (trunk's
// minifier drops quotes it does not need).
const meta = [...html.matchAll(/<meta\b[^>]*>/gi)].map((m) => m[0]).find((tag) => /http-equiv=["']?Content-Security-Policy/i.test(tag));
if (!meta || !meta.includes(PLACEHOLDER)) {
  console.error(`csp: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy meta tag.`);
  process.exit(1);
}
const finished = meta.replace(PLACEHOLDER, hashes.join(' '));
html = html.replace(meta, () => finished);
writeFileSync(file, html);
const policy = finished.match(/content="([^"]*)"/)?.[1];
console.log(`csp: ${inline.length} inline script(s) hashed into the policy of ${file}`);
if (policy) console.log(`csp: ${policy}`);
