/* The door scanner's service worker (served as /door/sw.js, scope /door/).
 *
 * On the scanner's first visit the page asks this worker to keep it and every file it loads
 * (message "keep"), so one visit is enough to reopen it with no network. The scanner page is then
 * fetched from the network first; when the network fails, the server answers 5xx (its database
 * is down) or nothing comes within a few seconds, the kept copy opens instead, and the page saves
 * scans on the device. Static files are fingerprinted (?v=…), so a kept one never goes stale.
 * Scans, searches, counts and the roster always go to the network. */
const CACHE = "hireday-door-v3";
const PAGE_TIMEOUT_MS = 5000;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function isScannerPage(url) {
  return /^\/door\/events\/[^/]+\/$/.test(url.pathname);
}

function pageKey(url) {
  return url.origin + url.pathname; // the bare page: never a search with someone's name
}

function keepable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep") return;
  const reply = (kept) => event.ports[0] && event.ports[0].postMessage({ kept });
  const page = new URL(data.page, self.location.origin);
  if (!isScannerPage(page)) return reply(false);
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      const files = (data.files || []).filter((f) => typeof f === "string" && f.startsWith("/"));
      await Promise.all(files.map(async (file) => {
        if (await cache.match(file)) return;
        const response = await fetch(file, { credentials: "same-origin" });
        if (keepable(response)) await cache.put(file, response);
      }));
      const response = await fetch(page.pathname, { credentials: "same-origin" });
      if (!keepable(response)) return reply(false);
      await cache.put(pageKey(page), response);
      return reply(true);
    }).catch(() => reply(false))
  );
});

/** The network's answer, or the kept page when the network fails, the server fails (5xx) or
 * nothing comes in time. A page kept from before is better than a spinner at the door. */
function scannerPage(event, url) {
  const key = pageKey(url);
  const network = fetch(event.request).then((response) => {
    if (keepable(response) && !url.search) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  });
  return caches.match(key).then((kept) => {
    if (!kept) return network;
    const late = new Promise((resolve) => setTimeout(() => resolve(kept), PAGE_TIMEOUT_MS));
    const answered = network.then((response) => (response.status >= 500 ? kept : response), () => kept);
    return Promise.race([answered, late]);
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate" && isScannerPage(url)) {
    event.respondWith(scannerPage(event, url));
    return;
  }

  if (url.pathname.startsWith("/static/") || url.pathname.endsWith("/manifest.webmanifest")) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then((kept) => kept || fetch(request).then((response) => {
          if (keepable(response) && url.pathname.startsWith("/static/")) cache.put(request, response.clone());
          return response;
        }))
      )
    );
  }
});
