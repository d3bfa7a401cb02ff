/* The door scanner's service worker (served as /door/sw.js, scope /door/).
 *
 * Keeps the scanner page and its assets so the page opens without a network: pages are fetched
 * from the network first and the copy kept for when it fails; static files come from the cache
 * and are refreshed in the background. Scans, searches, counts and the roster always go to the
 * network (the page itself queues scans in IndexedDB when that fails). */
const CACHE = "hireday-door-v2";
const ASSETS = [
  "/static/css/hireday.css",
  "/static/img/favicon.svg",
  "/static/vendor/htmx-2.0.11.min.js",
  "/static/vendor/qr-scanner-1.4.2.umd.min.js",
  "/static/vendor/qr-scanner-worker-1.4.2.min.js",
  "/static/js/qr-engine.js",
  "/static/js/door-scanner.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate" && isScannerPage(url)) {
    const key = url.origin + url.pathname; // the bare page: never a search with someone's name
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !url.search && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(key, copy));
          }
          return response;
        })
        .catch(() => caches.match(key).then((cached) => cached || Response.error()))
    );
    return;
  }

  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request, { ignoreSearch: true }).then((cached) => {
          const fresh = fetch(request)
            .then((response) => {
              if (response.ok) cache.put(request, response.clone());
              return response;
            })
            .catch(() => cached);
          return cached || fresh;
        })
      )
    );
  }
});
