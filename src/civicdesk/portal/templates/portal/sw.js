/* CivicDesk's service worker (portal/pwa.py renders it; docs/offline.md explains it).
 * - The look of the site (CSS, scripts, icons) is kept at installation; static files are
 *   served from the cache first (their names change with their content).
 * - Public pages are fetched from the network first and kept, so a page seen once opens
 *   again without a connection; private pages (accounts, private links, staff) never are.
 * - Reports written without a connection wait in IndexedDB (report-queue.js) and are sent
 *   when the connection returns: here on a background sync, and by any open page. */
importScripts("{{ queue_script }}");

var VERSION = "{{ version }}";
var STATIC = "civicdesk-static-" + VERSION;
var PAGES = "civicdesk-pages";
var PAGE_LIMIT = 60;
var PRECACHE = {{ precache_json|safe }};
var OFFLINE = "{{ offline_url }}";
var ICON = "{{ icon }}";
var PRIVATE = {{ private_prefixes|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (c) { return c.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("civicdesk-static-") === 0 && n !== STATIC; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPrivate(url) {
  return url.searchParams.has("key") || PRIVATE.some(function (p) { return url.pathname.indexOf(p) === 0; });
}

function keepPage(request, response) {
  var rules = response.headers.get("Cache-Control") || "";
  if (!response.ok || response.redirected || /no-store|private/.test(rules)) return;
  var copy = response.clone();
  caches.open(PAGES).then(function (cache) {
    return cache.put(request.url, copy).then(function () { return cache.keys(); }).then(function (keys) {
      // the oldest pages go first
      return Promise.all(keys.slice(0, Math.max(0, keys.length - PAGE_LIMIT)).map(function (k) { return cache.delete(k); }));
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { var copy = response.clone(); caches.open(STATIC).then(function (c) { c.put(request, copy); }); }
        return response;
      });
    }));
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(fetch(request).then(function (response) {
    if (!isPrivate(url)) keepPage(request, response);
    return response;
  }, function () {
    var seen = isPrivate(url) ? Promise.resolve(undefined) : caches.match(request.url, {ignoreVary: true, ignoreSearch: false});
    return seen.then(function (hit) { return hit || caches.match(OFFLINE, {ignoreVary: true}); });
  }));
});

function tell(done) {
  var filed = done.filter(function (i) { return i.state === "filed"; });
  filed.forEach(function (item) {
    if (self.Notification && Notification.permission === "granted" && item.notice) {
      self.registration.showNotification(item.notice.title, {
        body: item.notice.body.replace("%(id)s", item.publicId), data: {url: item.link}, icon: ICON, lang: item.notice.lang});
    }
  });
  return self.clients.matchAll({type: "window"}).then(function (clients) {
    clients.forEach(function (c) { c.postMessage({type: "civicdesk-queue", filed: filed.length}); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "civicdesk-reports") event.waitUntil(CivicDeskQueue.flush().then(tell));
});

self.addEventListener("message", function (event) {
  if (event.data === "civicdesk-flush") event.waitUntil(CivicDeskQueue.flush().then(tell));
  if (event.data && event.data.type === "civicdesk-keep") {
    var url = new URL(event.data.url);
    if (url.origin === self.location.origin && !isPrivate(url)) {
      var request = new Request(url.href, {credentials: "same-origin"});
      event.waitUntil(fetch(request).then(function (response) { keepPage(request, response); }, function () {}));
    }
  }
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  if (event.notification.data && event.notification.data.url) event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
