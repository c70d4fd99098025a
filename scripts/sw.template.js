// CareCoord's service worker, written into dist/ by scripts/sw.mjs from this template: the
// build's file list and cache name are filled in there. It caches the app's own files and
// nothing else: every record lives in IndexedDB and no data ever goes through fetch.
//   install   caches every file of the build (the app shell) under this build's cache name;
//   activate  deletes the caches of other builds and takes control of open pages;
//   fetch     (same-origin GET only) a page load asks the network first and falls back to
//             the cached index.html, so every route opens offline; the build's files come
//             from the cache first. Any other request is left to the browser.
// A new build waits until the page asks it to take over ({type: 'skip-waiting'}, the app's
// Reload button) or until every CareCoord tab has closed.
'use strict';

// This worker's caches are named PREFIX-<build hash>; another worker of the site (the
// kiosk's, in kiosk/) has its own prefix and scope, and this one leaves both alone.
const PREFIX = 'carecoord';
const CACHE = 'PREFIX-BUILD_HASH';
const FILES = /* FILES */ [];
// Folders with a worker of their own (the kiosk): their requests are not this worker's.
const OTHER_SCOPES = /* OTHER_SCOPES */ [];
// A page load waits this long for the network before the cached copy is served.
const NETWORK_WAIT_MS = 4000;

const url = (file) => new URL(file, self.location).href;
const INDEX = url('index.html');
const OTHERS = OTHER_SCOPES.map(url);
const SHELL = new Set(FILES.map(url));
// File names with trunk's content hash (hex, 12 to 16 digits) never change content; the
// others are fetched afresh.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(FILES.map(async (file) => {
      const response = await fetch(url(file), { cache: HASHED.test(file) ? 'default' : 'no-cache' });
      if (!response.ok) throw new Error(`CareCoord: ${file} answered ${response.status}`);
      // A host that redirects index.html to / gives a redirected response, which a page
      // load may not be answered with: keep its body only.
      const body = response.redirected
        ? new Response(await response.blob(), { status: response.status, headers: response.headers })
        : response;
      await cache.put(url(file), body);
    }));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    const ours = (n) => n.startsWith(`${PREFIX}-`) && /^[0-9a-f]{16}$/.test(n.slice(PREFIX.length + 1));
    await Promise.all(names.filter((n) => ours(n) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request, { ignoreSearch: true });
}

async function pageLoad(request) {
  const network = fetch(request);
  network.catch(() => {}); // answered from the cache meanwhile: the late failure is no news
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), NETWORK_WAIT_MS); });
  try {
    const response = await Promise.race([network, late]);
    if (response && response.ok) return response;
    return (await fromCache(INDEX)) || response || network;
  } catch (e) {
    const cached = await fromCache(INDEX);
    if (cached) return cached;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function shellFile(request) {
  return (await fromCache(request)) || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (OTHERS.some((scope) => request.url.startsWith(scope))) return;
  if (request.mode === 'navigate') {
    event.respondWith(pageLoad(request));
  } else if (SHELL.has(request.url.split(/[?#]/)[0]) && request.url !== INDEX) {
    event.respondWith(shellFile(request));
  }
});
