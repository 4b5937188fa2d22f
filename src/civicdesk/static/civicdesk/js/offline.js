/* The portal without a connection (docs/offline.md): registers the service worker, keeps a
 * report written offline on the device (report-queue.js) instead of losing it, says where
 * every kept report stands, and sends them when the connection returns. Words: the page's
 * #civicdesk-offline-strings (interface catalogs). */
(function () {
  "use strict";
  var source = document.getElementById("civicdesk-offline-strings");
  if (!source || !window.CivicDeskQueue || !window.indexedDB) return;
  var T = JSON.parse(source.textContent);
  var Q = window.CivicDeskQueue;
  var sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  if (sw) {
    sw.register(T.worker).catch(function () { /* the site works without it */ });
    // The page that installed the worker came before it: ask the worker to keep it too.
    if (!sw.controller) sw.ready.then(function (reg) { if (reg.active) reg.active.postMessage({type: "civicdesk-keep", url: location.href}); });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, k) { return values[k] || ""; });
  }

  // Where every kept report stands, at the top of the page.
  var main = document.getElementById("main-content");
  var box = el("div", {"class": "cd-offline-status", role: "status", "aria-live": "polite"});
  if (main) main.insertBefore(box, main.firstChild);
  var told = [];  // reports this page has said were filed: they stay said until the page is left
  function render() {
    return Q.all().then(function (items) {
      items.filter(function (i) { return i.state === "filed"; }).forEach(function (item) {
        told.push(item);
        Q.remove(item.key);  // said once; the request has its own page and email from here on
      });
      box.textContent = "";
      told.concat(items.filter(function (i) { return i.state !== "filed"; })).forEach(function (item) {
        var kind = {waiting: "info", filed: "success", failed: "error"}[item.state] || "info";
        var alert = el("div", {"class": "usa-alert usa-alert--slim usa-alert--" + kind, "data-state": item.state});
        var body = el("div", {"class": "usa-alert__body"});
        var p = el("p", {"class": "usa-alert__text"});
        if (item.state === "filed") {
          p.appendChild(document.createTextNode(fill(T.filed, {service: item.service}) + " "));
          p.appendChild(el("a", {href: item.link}, item.publicId));
        } else if (item.state === "failed") {
          p.textContent = fill(T.failed, {service: item.service, error: item.error});
          var again = el("a", {href: item.url + (item.url.indexOf("?") < 0 ? "?" : "&") + "restore=" + encodeURIComponent(item.key), "class": "margin-left-1"}, T.open);
          p.appendChild(document.createTextNode(" "));
          p.appendChild(again);
        } else {
          p.textContent = fill(T.waiting, {service: item.service});
        }
        body.appendChild(p); alert.appendChild(body); box.appendChild(alert);
      });
    }).catch(function () { /* storage refused (private mode): nothing kept, nothing to say */ });
  }

  function notify(done) {
    done.filter(function (i) { return i.state === "filed"; }).forEach(function (item) {
      if (window.Notification && Notification.permission === "granted" && item.notice) {
        try { new Notification(item.notice.title, {body: fill(item.notice.body, {id: item.publicId}), lang: item.notice.lang}); } catch (e) { /* */ }
      }
    });
  }
  var lastFlush = 0;
  function flush() {
    lastFlush = Date.now();
    if (!navigator.onLine) return render();
    // With a service worker in charge it sends (and notifies) so page and worker never race.
    if (sw && sw.controller) { sw.controller.postMessage("civicdesk-flush"); return render(); }
    return Q.flush().then(notify).then(render, render);
  }
  if (sw) sw.addEventListener("message", function (e) { if (e.data && e.data.type === "civicdesk-queue") render(); });
  window.addEventListener("online", flush);
  window.CivicDeskOffline = {flush: flush, render: render};
  flush();
  // While reports are kept: show what changed (another tab or the worker may have sent them)
  // and try again now and then, for a connection that came back without an "online" event.
  setInterval(function () {
    Q.all().then(function (items) {
      if (!items.length && !box.firstChild) return;
      var waiting = items.some(function (i) { return i.state === "waiting"; });
      if (waiting && navigator.onLine && Date.now() - lastFlush > 15000) flush(); else render();
    }).catch(function () {});
  }, 2000);

  // A report written without a connection is kept, not lost.
  var form = document.querySelector("form[data-offline-report]");
  if (!form) return;
  // The form's submission key makes a repeated send file one request. A copy of this page kept
  // for offline use may carry a key already sent: such a key is replaced by a new one (unless
  // the server kept photos under it after a refused send, which this page then shows).
  var keyInput = form.querySelector("[name=submission_key]");
  var USED = "civicdesk-used-keys";
  function usedKeys() { try { return JSON.parse(localStorage.getItem(USED)) || []; } catch (e) { return []; } }
  function markUsed(k) {
    try { localStorage.setItem(USED, JSON.stringify(usedKeys().filter(function (x) { return x !== k; }).concat([k]).slice(-50))); } catch (e) { /* */ }
  }
  if (usedKeys().indexOf(keyInput.value) >= 0 && !form.querySelector("[name=staged_photos]")) {
    keyInput.value = (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^\w]/g, "");
  }
  form.addEventListener("submit", function (e) {
    markUsed(keyInput.value);
    if (navigator.onLine) return;  // the usual way: the server answers
    e.preventDefault();
    e.stopImmediatePropagation();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File && !value.size) return;  // a file field left empty
      fields.push([name, value]);
    });
    var key = keyInput.value;
    Q.add({key: key, url: form.getAttribute("action") || location.pathname, service: form.getAttribute("data-service-name"), fields: fields,
           notice: {title: T.noticeTitle, body: fill(T.noticeBody, {service: form.getAttribute("data-service-name"), id: "%(id)s"}),
                    lang: document.documentElement.lang}})
      .then(function () {
        form.hidden = true;
        if (window.Notification && Notification.permission === "default") Notification.requestPermission();
        if (sw) sw.ready.then(function (reg) { if (reg.sync) reg.sync.register("civicdesk-reports"); });
        return render();
      }).then(function () { box.setAttribute("tabindex", "-1"); box.focus(); window.scrollTo(0, 0); })
      .catch(function () { var err = el("p", {"class": "usa-error-message", role: "alert"}, T.notKept); form.insertBefore(err, form.firstChild); });
  }, true);

  // "Open the form again" for a kept report the server refused: its words (and photos) come back.
  var restore = new URLSearchParams(location.search).get("restore");
  if (restore) {
    Q.all().then(function (items) {
      var item = items.filter(function (i) { return i.key === restore; })[0];
      if (!item) return;
      var files = {};
      item.fields.forEach(function (f) {
        var name = f[0], value = f[1];
        if (name === "csrfmiddlewaretoken" || name === "confirm_new") return;
        var input = form.querySelector('[name="' + name.replace(/"/g, "") + '"]');
        if (!input) return;
        if (value instanceof Blob) { (files[name] = files[name] || []).push(value); return; }
        if (input.type === "radio" || input.type === "checkbox") {
          form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]').forEach(function (i) { if (i.value === value) i.checked = true; });
        } else { input.value = value; }
      });
      Object.keys(files).forEach(function (name) {
        var dt = new DataTransfer();
        files[name].forEach(function (f) { dt.items.add(f); });
        var input = form.querySelector('[name="' + name + '"]');
        if (input) { input.files = dt.files; input.dispatchEvent(new Event("change", {bubbles: true})); }
      });
      Q.remove(item.key).then(render);
    });
  }
})();
