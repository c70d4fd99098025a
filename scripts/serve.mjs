// Serves dist/ as static files on 127.0.0.1, with every unknown path answered by index.html
// (so deep links like /patients/{id} work), a folder by its own index.html (the kiosk in
// kiosk/), and Last-Modified on every file, the way a clinic's static host is set up.
// Usage: node scripts/serve.mjs [dir] [port]
// Tests import `staticSite` to serve a build with one file's text changed (a new sw.js).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8',
};

/** What the file system says of `path`, or null when there is nothing there. */
async function statOf(path) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/**
 * The server, not yet listening. `rewrite(path, text)`, when given, may change the text of a
 * served .js file (`path` relative to `dir`, e.g. "sw.js"); `published(urlPath)` may answer
 * a path with a file of the test's own ({ body, modified: Date }).
 */
export function staticSite(dir = 'dist', { rewrite, published } = {}) {
  const root = resolve(dir);
  return createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const wanted = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    // A file the test publishes beside the build (`published(path)` gives { body, modified }
    // or nothing), as a clinic puts directory.json on its host.
    const extra = published?.(url.pathname);
    if (extra) {
      res.writeHead(200, { 'content-type': types[extname(url.pathname)] ?? 'application/octet-stream', 'last-modified': extra.modified.toUTCString(), 'cache-control': 'no-cache' });
      res.end(extra.body);
      return;
    }
    // A folder is served by its index.html, as any static host does: `/kiosk/` is the
    // kiosk build, and `/kiosk` is sent there first (its files are named relative to it).
    let path = join(root, wanted);
    let found = await statOf(path);
    if (found?.isDirectory()) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
        return;
      }
      path = join(path, 'index.html');
      found = await statOf(path);
    }
    if (!found?.isFile() && !extname(wanted)) {
      path = join(root, 'index.html');
      found = await statOf(path);
    }
    if (!found?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    let body = await readFile(path);
    if (rewrite && path.endsWith('.js')) body = Buffer.from(rewrite(path.slice(root.length + 1), body.toString('utf8')));
    // The policy index.html carries, sent as a header too (which also allows frame-ancestors).
    const policy = path.endsWith('.html') ? body.toString('utf8').match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)?.[1] : null;
    res.writeHead(200, {
      // As static hosts do: the kiosk compares a published directory.json's date with its copy.
      'last-modified': found.mtime.toUTCString(),
      ...(policy ? { 'content-security-policy': `${policy}; frame-ancestors 'none'` } : {}),
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      // Only trunk's content-hashed files never change; index.html, sw.js, the manifest and
      // the icons are asked for afresh.
      'cache-control': /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = resolve(process.argv[2] ?? 'dist');
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
  staticSite(root).listen(port, '127.0.0.1', () => console.log(`CareCoord: serving ${root} on http://127.0.0.1:${port}`));
}
