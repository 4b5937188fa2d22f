/* Console: live inbox and the agent side of a conversation (websocket /ws/console/). */
(function () {
  "use strict";
  var rows = document.getElementById("inbox-rows");
  var chat = document.getElementById("chat");
  if (!rows && !chat) return;
  // lastSeq: every message up to it is shown (a message missed while the relay was away
  // leaves a gap above it, filled by the next catch-up)
  var ws, retry = 0, seen = {}, lastSeq = 0, conv = chat && chat.getAttribute("data-conversation");
  var log = document.getElementById("chat-log"), statusLine = document.getElementById("chat-status");
  var typingLine = document.getElementById("chat-typing"), form = document.getElementById("chat-form");
  var text = document.getElementById("chat-text"), internal = document.getElementById("chat-internal");
  var canned = document.getElementById("chat-canned"), outbox = [];
  function el(tag, cls, t) { var e = document.createElement(tag); if (cls) e.className = cls; if (t) e.textContent = t; return e; }
  function uid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }
  function refreshInbox() {
    fetch(rows.getAttribute("data-src"), {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) { rows.innerHTML = html; });
  }
  // Every 30 s, ask again for anything after the last message shown: the relay between
  // server processes keeps nothing, so a message sent while it reconnected arrives this way.
  setInterval(function () {
    if (!conv || !ws || ws.readyState !== 1) return;
    ws.send(JSON.stringify({type: "sync", conversation: conv, last_seq: lastSeq}));
    // a message not echoed yet is sent again with its client id (stored once whatever happens)
    outbox.forEach(function (o) { ws.send(JSON.stringify(o)); });
  }, 30000);
  function connect() {
    ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/console/");
    ws.onopen = function () {
      retry = 0;
      if (conv) ws.send(JSON.stringify({type: "join", conversation: conv, last_seq: lastSeq}));
    };
    ws.onmessage = function (e) { handle(JSON.parse(e.data)); };
    ws.onclose = function () {
      if (statusLine) statusLine.textContent = "…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry - 1));
    };
  }
  function handle(m) {
    if (m.type === "inbox" && rows) { refreshInbox(); return; }
    if (!chat || m.conversation !== conv) return;
    if (m.type === "welcome") {
      statusLine.textContent = "";
      outbox.forEach(function (o) { ws.send(JSON.stringify(o)); });
    } else if (m.type === "message") {
      if (seen[m.seq]) return;
      seen[m.seq] = true;
      while (seen[lastSeq + 1]) lastSeq++;
      outbox = outbox.filter(function (o) { return o.client_id !== m.client_id; });
      var li = el("div", "cd-chat cd-chat--" + m.sender);
      li.setAttribute("data-seq", m.seq);
      li.appendChild(el("span", "cd-chat__who", (m.author || m.sender) + (m.sender === "note" ? " (internal)" : "") + ": "));
      li.appendChild(el("span", "cd-pre", m.body));
      if (m.attachment) { var img = el("img"); img.src = m.attachment; img.alt = "Image from the resident"; img.width = 200; li.appendChild(img); }
      if (m.translation) translated(li, m.sender, m.translation, m.translation_language);
      // in sequence order: a message caught up late goes where it belongs
      var later = null, items = log.querySelectorAll("[data-seq]");
      for (var i = 0; i < items.length; i++) { if (+items[i].getAttribute("data-seq") > m.seq) { later = items[i]; break; } }
      log.insertBefore(li, later);
      if (!later) log.scrollTop = log.scrollHeight;
      if (m.sender === "resident") { typingLine.textContent = ""; ws.send(JSON.stringify({type: "read", conversation: conv, seq: m.seq})); }
    } else if (m.type === "synced") {
      lastSeq = Math.max(lastSeq, m.upto || 0);
      while (seen[lastSeq + 1]) lastSeq++;
    } else if (m.type === "translation") {
      var item = log.querySelector('[data-seq="' + m.seq + '"]');
      if (item && !item.querySelector(".cd-chat__translation")) translated(item, item.className.indexOf("cd-chat--resident") >= 0 ? "resident" : "agent", m.text, m.language);
    } else if (m.type === "typing" && m.side === "resident") {
      typingLine.textContent = "The resident is typing…";
      clearTimeout(handle.t); handle.t = setTimeout(function () { typingLine.textContent = ""; }, 4000);
    } else if (m.type === "read" && m.side === "resident") {
      statusLine.textContent = "Seen by the resident up to message " + m.seq;
    } else if (m.type === "state") {
      var agent = document.getElementById("conv-agent"); if (agent) agent.textContent = m.agent || "—";
    } else if (m.type === "error") {
      statusLine.textContent = m.error;
    }
  }
  // A machine translation beside the original: the resident's words in the agent's
  // language first (the original one click away); the agent's own words stay as written,
  // with what the resident received under them.
  function translated(li, sender, textValue, language) {
    var words = li.querySelector(".cd-pre");
    if (sender === "resident") {
      var original = el("details", "cd-chat__original");
      original.appendChild(el("summary", null, "Original"));
      original.appendChild(words);
      var t = el("span", "cd-pre cd-chat__translation", textValue);
      t.setAttribute("lang", language);
      li.appendChild(t);
      li.appendChild(el("span", "cd-chat__machine", " (machine translation)"));
      li.appendChild(original);
    } else {
      var sent = el("span", "cd-chat__translation cd-chat__machine", "Sent as machine translation (" + language + "): ");
      var s = el("span", "cd-pre", textValue);
      s.setAttribute("lang", language);
      sent.appendChild(s);
      li.appendChild(sent);
    }
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = text.value.trim();
      if (!body) return;
      var o = {type: "message", conversation: conv, body: body, client_id: uid(), internal: internal.checked};
      outbox.push(o);
      if (ws.readyState === 1) ws.send(JSON.stringify(o));
      text.value = ""; internal.checked = false;
    });
    var lastTyping = 0;
    text.addEventListener("input", function () {
      if (ws.readyState === 1 && Date.now() - lastTyping > 2000) { lastTyping = Date.now(); ws.send(JSON.stringify({type: "typing", conversation: conv})); }
    });
    if (canned) canned.addEventListener("change", function () { if (canned.value) { text.value = canned.value; text.focus(); } });
  }
  connect();
})();
