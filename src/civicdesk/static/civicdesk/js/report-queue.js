/* Reports written without a connection, kept on the device until they can be sent.
 * Shared by the pages (offline.js) and the service worker (sw.js), which both call
 * CivicDeskQueue.flush(): each waiting report is posted as the form would have posted it,
 * with the form's submission key, so the server files it exactly once however many times
 * it is sent (a flush cut off halfway, two tabs, the page and the worker at once).
 * Storage: IndexedDB "civicdesk", store "reports" (text fields and photo Blobs as they were).
 */
(function (scope) {
  "use strict";
  var DB = "civicdesk", STORE = "reports", VERSION = 1;

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, VERSION);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "key"}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out;
        t.oncomplete = function () { db.close(); resolve(out); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
        out = work(t.objectStore(STORE));
      });
    });
  }
  function all() {
    return tx("readonly", function (store) {
      var holder = [];
      store.openCursor().onsuccess = function (e) {
        var c = e.target.result;
        if (c) { holder.push(c.value); c.continue(); }
      };
      return holder;
    });
  }
  function put(item) { return tx("readwrite", function (store) { store.put(item); }); }
  // After a send: only a report still kept (another sender may have finished and removed it).
  function update(item) {
    return tx("readwrite", function (store) {
      store.get(item.key).onsuccess = function (e) { if (e.target.result) store.put(item); };
    });
  }
  function remove(key) { return tx("readwrite", function (store) { store.delete(key); }); }

  /* Keep a form's fields: [[name, value]], where a value is text or a File. */
  function add(item) {
    item.state = "waiting";
    item.savedAt = Date.now();
    return put(item);
  }

  var csrfPattern = /name="csrfmiddlewaretoken" value="([^"]+)"/;
  // the first line of the form's error summary (portal/report.html)
  var errorPattern = /id="error-summary"[\s\S]*?<li>([\s\S]*?)<\/li>/;
  var MAX_ATTEMPTS = 5;  // server errors in a row before the report is shown as failed
  function text(html) { return html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'").replace(/&quot;/g, "\"").replace(/&amp;/g, "&").trim(); }

  function post(item, fields) {
    var body = new FormData();
    fields.forEach(function (f) { body.append(f[0], f[1]); });
    return fetch(item.url, {method: "POST", body: body, credentials: "same-origin"});
  }

  /* Send one waiting report. Resolves to the report with state "filed" (publicId, link),
   * "failed" (the form's own error: the resident must look at it), or "waiting" (no
   * connection yet, or the server failed or was busy: sent again shortly; the submission
   * key keeps a second send from filing it twice). */
  function send(item) {
    // Filed offline, the resident could not see similar open requests: file it, staff merge.
    var fields = item.fields.filter(function (f) { return f[0] !== "confirm_new"; }).concat([["confirm_new", "1"]]);
    return post(item, fields).then(function (r) {
      if (r.status === 403) {  // the form's CSRF token went stale (a sign-in since): take a fresh one
        return fetch(item.url, {credentials: "same-origin"}).then(function (page) { return page.text(); }).then(function (html) {
          var m = csrfPattern.exec(html);
          if (!m) throw new Error("no form");
          fields = fields.map(function (f) { return f[0] === "csrfmiddlewaretoken" ? [f[0], m[1]] : f; });
          return post(item, fields);
        });
      }
      return r;
    }).then(function (r) {
      var filed = /\/requests\/([^/]+)\/submitted\/$/.exec(new URL(r.url).pathname);
      if (r.ok && filed) {
        item.state = "filed"; item.publicId = decodeURIComponent(filed[1]); item.link = r.url; item.fields = [];
        return update(item).then(function () { return item; });
      }
      if ((r.status >= 500 || r.status === 429) && (item.attempts || 0) < MAX_ATTEMPTS) {
        item.attempts = (item.attempts || 0) + 1;
        item.retry = true;
        return update(item).then(function () { return item; });
      }
      return r.text().then(function (html) {
        var m = errorPattern.exec(html);
        item.state = "failed"; item.error = m ? text(m[1]) : "HTTP " + r.status;
        return update(item).then(function () { return item; });
      });
    }, function () { return item; });  // still no connection: it waits
  }

  var running = null;
  function flush() {
    if (running) return running;  // one flush at a time per page or worker
    running = all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (done) { return send(item).then(function (r) { done.push(r); return done; }); });
      }, Promise.resolve([]));
    }).then(function (done) {
      running = null;
      // a server error or a busy server: try again after a pause that grows each time
      var again = done.filter(function (i) { return i.retry; });
      if (again.length) {
        again.forEach(function (i) { delete i.retry; });
        setTimeout(flush, 2000 * Math.pow(2, Math.max.apply(null, again.map(function (i) { return i.attempts; })) - 1));
      }
      return done;
    }, function (e) { running = null; throw e; });
    return running;
  }

  scope.CivicDeskQueue = {add: add, all: all, remove: remove, flush: flush};
})(typeof self !== "undefined" ? self : window);
