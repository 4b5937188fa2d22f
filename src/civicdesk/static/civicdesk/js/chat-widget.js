/* CivicDesk chat widget. Add to any page:
 *   <script src="https://YOUR-CIVICDESK/static/civicdesk/js/chat-widget.js" defer></script>
 * The conversation's ID and token are kept in localStorage, so the resident finds the
 * same conversation after a reload or a later visit from the same browser.
 * Options (data- attributes on the script tag): data-lang="es" (default: the page's lang),
 * data-department="public-works" (default: the resident picks a topic).
 * Protocol and guarantees: docs/chat.md. Messages carry sequence numbers; on every
 * (re)connection the widget asks for what came after the last one it saw, and drops
 * numbers it already has, so nothing is lost or shown twice.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.CivicDeskChat) return;
  var server = new URL(script.src, location.href).origin;
  // The page's language goes to the server (the conversation, the assistant and machine
  // translation follow it). The widget's own words come from the interface catalogs: a portal
  // page embeds them (<script id="civicdesk-chat-strings" type="application/json">), and on any
  // other site the widget asks /chat/config/ for them before drawing itself.
  var pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || "en").toLowerCase();
  var fixedDepartment = script.getAttribute("data-department") || "";
  var api = window.CivicDeskChat = {open: function () {}, close: function () {}};
  var ENGLISH = {lang: "en", dir: "ltr", open: "Chat with us", title: "Chat with us", close: "Close chat",
    topic: "What is it about?", general: "Something else", start: "Start chat", message: "Your message", send: "Send",
    attach: "Attach an image", you: "You", seen: "Seen", sending: "Sending…", typing: "An agent is typing…",
    connecting: "Connecting…", connected: "Connected", offline: "Connection lost. Reconnecting…",
    leaveIntro: "No one is free to chat right now. Leave a message and we will answer by email.",
    leaveMessage: "Your message for the team", survey: "How did we do? Answer a one-minute survey", email: "Your email",
    name: "Your name (optional)", leave: "Send message", transcript: "Email me this transcript",
    transcriptSend: "Send transcript", newChat: "Start a new chat", error: "Something went wrong. Please try again.",
    messages: "Messages", image: "Image", machine: "Machine-translated", original: "Show the original",
    stylesheet: "/static/civicdesk/css/chat-widget.css"};
  var embedded = document.getElementById("civicdesk-chat-strings");
  var strings = null;
  try { strings = embedded && JSON.parse(embedded.textContent); } catch (e) { strings = null; }
  if (strings) {
    build(strings);
  } else {
    fetch(server + "/chat/config/?language=" + encodeURIComponent(pageLang))
      .then(function (r) { return r.json(); })
      .then(function (cfg) { build(cfg.strings || ENGLISH); }, function () { build(ENGLISH); });
  }

  function build(words) {
    // Missing words (an older server) fall back to English rather than to "undefined".
    var T = {};
    Object.keys(ENGLISH).forEach(function (k) { T[k] = words[k] || ENGLISH[k]; });
    var lang = T.lang;
    var storeKey = "civicdesk-chat:" + server;
    var state = load() || null;   // {conversation, token, last_seq}
    var seen = {};                // seq -> true, for the messages on this page
    var pageSeq = 0;              // every message up to this sequence number is on this page
                                  // (not simply the highest: one missed while the relay was
                                  // away leaves a gap, and the next catch-up must fill it)
    var syncTimer = null;
    var outbox = [];              // [{client_id, body}]
    var ws = null, retry = 0, waitTimer = null, waitOffer = 120, agentReadSeq = 0, wantOpen = true, convState = "";

    function load() { try { return JSON.parse(localStorage.getItem(storeKey)); } catch (e) { return null; } }
    function save() { try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode */ } }
    function el(tag, attrs, text) {
      var e = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]); });
      if (text) e.textContent = text;
      return e;
    }
    function uid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }

    var css = el("link", {rel: "stylesheet", href: server + T.stylesheet});
    document.head.appendChild(css);
    var root = el("div", {"class": "cdw", lang: lang, dir: T.dir});
    var launcher = el("button", {type: "button", "class": "cdw-launcher", "aria-expanded": "false", "aria-controls": "cdw-panel"}, T.open);
    var panel = el("section", {id: "cdw-panel", "class": "cdw-panel", "aria-labelledby": "cdw-title"});
    panel.hidden = true;
    var header = el("div", {"class": "cdw-header"});
    var title = el("h2", {id: "cdw-title"}, T.title);
    var closeBtn = el("button", {type: "button", "class": "cdw-close", "aria-label": T.close}, "×");
    header.appendChild(title); header.appendChild(closeBtn);
    var status = el("p", {"class": "cdw-status", role: "status"});
    var log = el("div", {"class": "cdw-log", role: "log", "aria-live": "polite", "aria-label": T.messages});
    var typingLine = el("p", {"class": "cdw-typing", "aria-live": "polite"});
    var body = el("div", {"class": "cdw-body"});

    // start form
    var startForm = el("form", {"class": "cdw-form"});
    var topicLabel = el("label", {"for": "cdw-topic"}, T.topic);
    var topic = el("select", {id: "cdw-topic"});
    startForm.appendChild(topicLabel); startForm.appendChild(topic);
    startForm.appendChild(el("button", {type: "submit", "class": "cdw-button"}, T.start));
    // composer
    var composer = el("form", {"class": "cdw-form cdw-composer"});
    composer.appendChild(el("label", {"for": "cdw-text"}, T.message));
    var text = el("textarea", {id: "cdw-text", rows: "2", maxlength: "4000"});
    composer.appendChild(text);
    var row = el("div", {"class": "cdw-row"});
    var fileLabel = el("label", {"for": "cdw-file", "class": "cdw-file-label"}, T.attach);
    var file = el("input", {id: "cdw-file", type: "file", accept: "image/*"});
    row.appendChild(fileLabel); row.appendChild(file);
    row.appendChild(el("button", {type: "submit", "class": "cdw-button"}, T.send));
    composer.appendChild(row);
    // leave a message
    var leaveForm = el("form", {"class": "cdw-form cdw-leave"});
    leaveForm.appendChild(el("p", {}, T.leaveIntro));
    leaveForm.appendChild(el("label", {"for": "cdw-email"}, T.email));
    var leaveEmail = el("input", {id: "cdw-email", type: "email", autocomplete: "email", required: "required"});
    leaveForm.appendChild(leaveEmail);
    leaveForm.appendChild(el("label", {"for": "cdw-name"}, T.name));
    var leaveName = el("input", {id: "cdw-name", type: "text", autocomplete: "name"});
    leaveForm.appendChild(leaveName);
    leaveForm.appendChild(el("label", {"for": "cdw-leave-text"}, T.leaveMessage));
    var leaveText = el("textarea", {id: "cdw-leave-text", rows: "3", maxlength: "4000"});
    leaveForm.appendChild(leaveText);
    leaveForm.appendChild(el("button", {type: "submit", "class": "cdw-button"}, T.leave));
    var leaveError = el("p", {"class": "cdw-error", role: "alert"});
    leaveForm.appendChild(leaveError);
    leaveForm.hidden = true;
    // transcript
    var transcriptForm = el("form", {"class": "cdw-form cdw-transcript"});
    transcriptForm.appendChild(el("label", {"for": "cdw-t-email"}, T.transcript));
    var tEmail = el("input", {id: "cdw-t-email", type: "email", autocomplete: "email"});
    transcriptForm.appendChild(tEmail);
    transcriptForm.appendChild(el("button", {type: "submit", "class": "cdw-button cdw-secondary"}, T.transcriptSend));
    var tResult = el("p", {"class": "cdw-note", role: "status"});
    transcriptForm.appendChild(tResult);
    var newChat = el("button", {type: "button", "class": "cdw-button cdw-secondary"}, T.newChat);

    [status, log, typingLine, startForm, leaveForm, composer, transcriptForm, newChat].forEach(function (n) { body.appendChild(n); });
    panel.appendChild(header); panel.appendChild(body);
    root.appendChild(panel); root.appendChild(launcher);
    // Room at the end of the page, so the fixed launcher never covers the page's last links.
    document.body.appendChild(el("div", {"class": "cdw-spacer", "aria-hidden": "true"}));
    document.body.appendChild(root);

    function show(node, on) { node.hidden = !on; }
    function setView() {
      var has = !!(state && state.conversation);
      show(startForm, !has);
      show(log, has);
      show(composer, has && convState !== "closed" && convState !== "message");
      show(transcriptForm, has);
      show(newChat, has && convState === "closed");
    }

    function openPanel() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      if (state && state.conversation) { connect(); text.focus(); } else { loadTopics(); topic.focus(); }
      setView();
    }
    function closePanel() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    launcher.addEventListener("click", function () { if (panel.hidden) openPanel(); else closePanel(); });
    closeBtn.addEventListener("click", closePanel);
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape") closePanel(); });

    function post(path, data, isForm) {
      var opts = {method: "POST"};
      if (isForm) { opts.body = data; } else { opts.headers = {"Content-Type": "application/json"}; opts.body = JSON.stringify(data); }
      return fetch(server + path, opts).then(function (r) { return r.json().then(function (j) { return {ok: r.ok, data: j}; }); });
    }
    function firstError(data) {
      var errs = (data && data.errors) || {};
      var k = Object.keys(errs)[0];
      return k ? errs[k][0] : T.error;
    }

    var topicsLoaded = false;
    function loadTopics() {
      if (topicsLoaded) return;
      topicsLoaded = true;
      if (fixedDepartment) { topic.appendChild(el("option", {value: fixedDepartment}, fixedDepartment)); return; }
      topic.appendChild(el("option", {value: ""}, T.general));
      fetch(server + "/chat/config/?language=" + encodeURIComponent(pageLang)).then(function (r) { return r.json(); }).then(function (cfg) {
        cfg.departments.forEach(function (d) { topic.appendChild(el("option", {value: d.slug}, d.name)); });
      });
    }

    startForm.addEventListener("submit", function (e) {
      e.preventDefault();
      post("/chat/start/", {department: topic.value, language: pageLang}).then(function (r) {
        if (!r.ok) { status.textContent = firstError(r.data); return; }
        state = {conversation: r.data.conversation, token: r.data.token};
        save();
        convState = r.data.state;
        setView();
        connect();
        waitOffer = r.data.wait_offer_s;
        if (!r.data.open) offerMessage(); else if (r.data.state === "waiting") scheduleOffer(waitOffer);
        text.focus();
      }, function () { status.textContent = T.error; });
    });

    function scheduleOffer(seconds) {
      clearTimeout(waitTimer);
      waitTimer = setTimeout(function () { if (convState === "waiting") offerMessage(); }, (seconds || 120) * 1000);
    }
    function offerMessage() { show(leaveForm, true); leaveEmail.focus(); }
    leaveForm.addEventListener("submit", function (e) {
      e.preventDefault();
      leaveError.textContent = "";
      post("/chat/" + state.conversation + "/leave-message/",
           {token: state.token, email: leaveEmail.value, name: leaveName.value, body: leaveText.value}).then(function (r) {
        if (!r.ok) { leaveError.textContent = firstError(r.data); leaveEmail.focus(); return; }
        show(leaveForm, false);
      }, function () { leaveError.textContent = T.error; });
    });
    transcriptForm.addEventListener("submit", function (e) {
      e.preventDefault();
      post("/chat/" + state.conversation + "/transcript/", {token: state.token, email: tEmail.value}).then(function (r) {
        tResult.textContent = r.ok ? r.data.message : firstError(r.data);
      }, function () { tResult.textContent = T.error; });
    });
    newChat.addEventListener("click", function () {
      if (ws) { wantOpen = false; ws.close(); }
      state = null; save(); log.textContent = ""; seen = {}; pageSeq = 0; convState = "";
      setView(); loadTopics(); topic.focus();
    });

    function connect() {
      if (!state || (ws && ws.readyState <= 1)) return;
      wantOpen = true;
      status.textContent = T.connecting;
      ws = new WebSocket(server.replace(/^http/, "ws") + "/ws/chat/");
      ws.onopen = function () {
        retry = 0;
        // A new page shows the whole history (from 0); a reconnect asks only for what it missed.
        ws.send(JSON.stringify({type: "hello", conversation: state.conversation, token: state.token, last_seq: pageSeq}));
      };
      ws.onmessage = function (e) { handle(JSON.parse(e.data)); };
      // Every 30 s, ask again for anything after the last message shown: the relay between
      // server processes keeps nothing, so a reply sent while it reconnected arrives this way.
      clearInterval(syncTimer);
      syncTimer = setInterval(function () {
        if (!ws || ws.readyState !== 1) return;
        ws.send(JSON.stringify({type: "sync", last_seq: pageSeq}));
        // a message not echoed yet is sent again with its client id (stored once whatever happens)
        outbox.forEach(function (o) { ws.send(JSON.stringify({type: "message", body: o.body, client_id: o.client_id})); });
      }, 30000);
      ws.onclose = function () {
        clearInterval(syncTimer);
        if (!wantOpen) return;
        status.textContent = T.offline;
        retry = Math.min(retry + 1, 6);
        setTimeout(connect, 500 * Math.pow(2, retry - 1));
      };
    }

    function handle(m) {
      if (m.type === "welcome") {
        status.textContent = T.connected;
        convState = m.state; agentReadSeq = m.agent_read_seq || 0;
        setView();
        outbox.forEach(function (o) { ws.send(JSON.stringify({type: "message", body: o.body, client_id: o.client_id})); });
      } else if (m.type === "message") {
        if (seen[m.seq]) return;
        seen[m.seq] = true;
        var pending = m.client_id && document.getElementById("cdw-pending-" + m.client_id);
        if (pending) pending.remove();
        outbox = outbox.filter(function (o) { return o.client_id !== m.client_id; });
        append(m);
        while (seen[pageSeq + 1]) pageSeq++;
        if (m.sender !== "resident" && !panel.hidden && ws && ws.readyState === 1) ws.send(JSON.stringify({type: "read", seq: m.seq}));
        if (m.sender === "agent") typingLine.textContent = "";
      } else if (m.type === "synced") {
        // the server has sent everything up to m.upto (a gap below it is a note for staff only)
        pageSeq = Math.max(pageSeq, m.upto || 0);
        while (seen[pageSeq + 1]) pageSeq++;
      } else if (m.type === "translation") {
        var item = log.querySelector('div[data-seq="' + m.seq + '"].cdw-agent');
        if (item && !item.querySelector(".cdw-original")) {
          var body = item.querySelector(".cdw-text");
          translatedInto(item, body ? body.textContent : "", m.text, m.language);
        }
      } else if (m.type === "typing") {
        typingLine.textContent = T.typing;
        clearTimeout(handle.t); handle.t = setTimeout(function () { typingLine.textContent = ""; }, 4000);
      } else if (m.type === "read" && m.side === "agent") {
        agentReadSeq = m.seq; markSeen();
      } else if (m.type === "state") {
        convState = m.state; setView();
        // The assistant handed over: to a queue (offer a message if nobody comes) or, after
        // hours, straight to "leave a message".
        if (m.offer_message) offerMessage(); else if (m.state === "waiting") scheduleOffer(waitOffer);
      } else if (m.type === "survey") {
        // The chat closed: offer the short survey before the resident goes.
        if (!document.getElementById("cdw-survey")) {
          var p = el("p", {id: "cdw-survey", "class": "cdw-note"});
          var a = el("a", {href: server + m.url, target: "_blank", rel: "noopener"}, T.survey);
          p.appendChild(a);
          log.parentNode.insertBefore(p, log.nextSibling);
        }
      } else if (m.type === "error") {
        if (m.error === "not_allowed") { wantOpen = false; state = null; save(); setView(); }
        else status.textContent = m.error;
      }
    }

    function append(m) {
      var li = el("div", {"class": "cdw-msg cdw-" + m.sender, "data-seq": m.seq});
      var who = m.sender === "resident" ? T.you : (m.author || "");
      if (who) li.appendChild(el("span", {"class": "cdw-who"}, who + ": "));
      if (m.sender === "agent" && m.translation) translatedInto(li, m.body, m.translation, m.translation_language);
      else li.appendChild(m.sender === "resident" ? el("span", {"class": "cdw-text"}, m.body) : linked(m.body));
      if (m.attachment) {
        var img = el("img", {src: server + m.attachment, alt: T.image, "class": "cdw-img"});
        li.appendChild(img);
      }
      var items = log.querySelectorAll("div[data-seq]");
      var before = null;
      for (var i = 0; i < items.length; i++) { if (+items[i].getAttribute("data-seq") > m.seq) { before = items[i]; break; } }
      log.insertBefore(li, before);
      log.scrollTop = log.scrollHeight;
      markSeen();
    }
    // An agent who writes another language: the machine translation, marked as such, with
    // the original words one click away.
    function translatedInto(li, original, translation, language) {
      var old = li.querySelector(".cdw-text");
      if (old) old.remove();
      var t = linked(translation);
      t.setAttribute("lang", language);
      li.appendChild(t);
      li.appendChild(el("span", {"class": "cdw-machine"}, " (" + T.machine + ")"));
      var d = el("details", {"class": "cdw-original"});
      d.appendChild(el("summary", {}, T.original));
      var o = linked(original);
      o.removeAttribute("lang");
      d.appendChild(o);
      li.appendChild(d);
    }
    // Links in the assistant's and agents' answers become real links; everything else stays
    // text (never HTML), so nothing a message says can run in the page.
    var LINK = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g;
    function linked(body) {
      var span = el("span", {"class": "cdw-text"});
      String(body).split(LINK).forEach(function (part, i) {
        if (i % 2 === 1) { var a = el("a", {href: part, target: "_blank", rel: "noopener"}, part); span.appendChild(a); }
        else if (part) span.appendChild(document.createTextNode(part));
      });
      return span;
    }
    function markSeen() {
      log.querySelectorAll(".cdw-seen").forEach(function (n) { n.remove(); });
      var mine = log.querySelectorAll("div.cdw-resident[data-seq]");
      for (var i = mine.length - 1; i >= 0; i--) {
        if (+mine[i].getAttribute("data-seq") <= agentReadSeq) { mine[i].appendChild(el("span", {"class": "cdw-seen"}, " · " + T.seen)); break; }
      }
    }

    var lastTyping = 0;
    text.addEventListener("input", function () {
      var now = Date.now();
      if (ws && ws.readyState === 1 && now - lastTyping > 2000) { lastTyping = now; ws.send(JSON.stringify({type: "typing"})); }
    });
    text.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); composer.requestSubmit ? composer.requestSubmit() : composer.dispatchEvent(new Event("submit")); }
    });
    composer.addEventListener("submit", function (e) {
      e.preventDefault();
      if (file.files && file.files[0]) {
        var fd = new FormData();
        fd.append("token", state.token); fd.append("image", file.files[0]); fd.append("client_id", uid()); fd.append("body", text.value);
        post("/chat/" + state.conversation + "/attachment/", fd, true).then(function (r) {
          if (!r.ok) { status.textContent = firstError(r.data); return; }
          file.value = ""; text.value = "";
        }, function () { status.textContent = T.error; });
        return;
      }
      var value = text.value.trim();
      if (!value) return;
      var o = {client_id: uid(), body: value};
      outbox.push(o);
      var li = el("div", {"class": "cdw-msg cdw-resident cdw-pending", id: "cdw-pending-" + o.client_id});
      li.appendChild(el("span", {"class": "cdw-who"}, T.you + ": "));
      li.appendChild(el("span", {"class": "cdw-text"}, value));
      li.appendChild(el("span", {"class": "cdw-note"}, " · " + T.sending));
      log.appendChild(li);
      text.value = "";
      if (ws && ws.readyState === 1) ws.send(JSON.stringify({type: "message", body: o.body, client_id: o.client_id}));
      else connect();
    });

    var resume = document.getElementById("civicdesk-resume");
    if (resume) {
      state = {conversation: resume.getAttribute("data-conversation"), token: resume.getAttribute("data-token")};
      save();
      openPanel();
    } else if (state && state.conversation && wantOpen === true && sessionStorage.getItem(storeKey + ":open") === "1") {
      openPanel();
    }
    launcher.addEventListener("click", function () { try { sessionStorage.setItem(storeKey + ":open", panel.hidden ? "0" : "1"); } catch (e) { /* */ } });
    api.open = openPanel;
    api.close = closePanel;
  }
})();
