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
  // The inbox: the number waiting in the tab's title, and for an agent who is online and
  // asked for it, a short tone and a spoken "A new chat is waiting." when the number grows.
  var baseTitle = document.title, lastWaiting = null, sound = document.getElementById("inbox-sound");
  var news = document.getElementById("inbox-news"), audio = null;
  if (sound) {
    sound.checked = localStorage.getItem("cd-inbox-sound") === "1";
    sound.addEventListener("change", function () {
      localStorage.setItem("cd-inbox-sound", sound.checked ? "1" : "0");
      if (sound.checked) tone();  // a click lets the page make sounds, and lets the agent hear it
    });
  }
  function tone() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain(), t = audio.currentTime;
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + 0.4);
      o.connect(g); g.connect(audio.destination); o.start(t); o.stop(t + 0.45);
      document.body.setAttribute("data-tones", +(document.body.getAttribute("data-tones") || 0) + 1);
    } catch (e) { /* no sound on this browser: the title and the status line still say it */ }
  }
  function waitingChanged() {
    var figs = rows.querySelector("[data-waiting-count]");
    var n = figs ? +figs.getAttribute("data-waiting-count") : 0;
    document.title = (n > 0 ? "(" + n + ") " : "") + baseTitle;
    if (lastWaiting !== null && n > lastWaiting) {
      if (news) news.textContent = rows.getAttribute("data-new-chat");
      if (sound && sound.checked && sound.getAttribute("data-online") === "1") tone();
    }
    lastWaiting = n;
  }
  function refreshInbox() {
    fetch(rows.getAttribute("data-src"), {credentials: "same-origin"}).then(function (r) { return r.text(); })
      .then(function (html) {
        var focused = document.activeElement && document.activeElement.classList.contains("cd-inbox__open")
          ? document.activeElement.getAttribute("href") : null;
        rows.innerHTML = html;
        waitingChanged();
        // keep the keyboard where it was (j / k move through the rows)
        var again = focused && rows.querySelector('.cd-inbox__open[href="' + focused + '"]');
        if (again) again.focus();
      });
  }
  if (rows) waitingChanged();
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
      // refused (the conversation closed, say): not sent again with every catch-up
      if (m.client_id) outbox = outbox.filter(function (o) { return o.client_id !== m.client_id; });
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
    picker();
  }
  // Put words into the reply at the cursor (a suggested article's link or summary).
  function insert(words) {
    var at = text.selectionStart, before = text.value.slice(0, at), after = text.value.slice(text.selectionEnd);
    var pad = before && !/\s$/.test(before) ? " " : "";
    text.value = before + pad + words + after;
    var caret = (before + pad + words).length;
    text.focus();
    text.setSelectionRange(caret, caret);
  }
  var suggestions = document.getElementById("suggestions");
  if (suggestions && text) {
    suggestions.addEventListener("click", function (e) {
      var b = e.target.closest("[data-insert]");
      if (b) insert(b.getAttribute("data-insert"));
    });
    document.getElementById("suggest-again").addEventListener("click", function () {
      fetch(suggestions.getAttribute("data-src"), {credentials: "same-origin"}).then(function (r) { return r.text(); })
        .then(function (html) { suggestions.innerHTML = html; });
    });
  }
  // Canned responses by "/": typing "/" and a few letters lists the responses whose title
  // has them; up and down choose, Enter or Tab inserts, Escape closes. The list is a listbox
  // the message box points into (aria-activedescendant), announced by a status line.
  function picker() {
    var list = document.getElementById("chat-canned-list"), data = document.getElementById("canned-data");
    var status = document.getElementById("chat-canned-status");
    if (!list || !data) return;
    var all = JSON.parse(data.textContent), shown = [], active = -1, token = null;
    function close() {
      list.hidden = true; list.innerHTML = ""; shown = []; active = -1; token = null;
      text.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) { text.setAttribute("aria-activedescendant", "canned-opt-" + i); list.children[i].scrollIntoView({block: "nearest"}); }
    }
    function choose(i) {
      var t = token, c = shown[i];
      close();
      text.value = text.value.slice(0, t.start) + c.text + text.value.slice(t.end);
      var caret = t.start + c.text.length;
      text.focus();
      text.setSelectionRange(caret, caret);
    }
    text.addEventListener("input", function () {
      var upto = text.value.slice(0, text.selectionStart), m = /(^|\s)\/([^\s\/]*)$/.exec(upto);
      if (!m) { close(); return; }
      var q = m[2].toLowerCase();
      token = {start: upto.length - m[2].length - 1, end: text.selectionStart};
      shown = all.filter(function (c) { return c.title.toLowerCase().indexOf(q) >= 0 || c.text.toLowerCase().indexOf(q) >= 0; }).slice(0, 8);
      list.innerHTML = "";
      shown.forEach(function (c, i) {
        var li = el("li", null);
        li.id = "canned-opt-" + i;
        li.setAttribute("role", "option");
        li.appendChild(el("strong", null, c.title));
        li.appendChild(el("span", "cd-picker__text", c.text));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = !shown.length;
      status.textContent = shown.length ? shown.length + " " + status.getAttribute("data-found") : status.getAttribute("data-none");
      mark(shown.length ? 0 : -1);
    });
    text.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % shown.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark((active - 1 + shown.length) % shown.length); }
      else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    text.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  connect();
})();
