/* The live meeting page: the item being discussed and the speakers' queue, updated over the
 * meeting's websocket (ws/meetings/<id>/, read-only). A speaker's own page (data-me) also
 * says their place. The socket reconnects by itself, saying so; without JavaScript the page
 * shows the state as it was when it loaded. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  var stringsNode = document.getElementById("meeting-live-strings");
  if (!root || !stringsNode || !window.WebSocket) return;
  var t = JSON.parse(stringsNode.textContent);
  var me = root.getAttribute("data-me");
  var status = document.getElementById("live-status");
  var itemNode = document.getElementById("live-item");
  var queueNode = document.getElementById("live-queue");
  var placeNode = document.getElementById("my-place");
  var delay = 1000;
  var lastText = {};

  function setText(node, text) {  // only when it changed: screen readers hear changes once
    if (node && lastText[node.id] !== text) { node.textContent = text; lastText[node.id] = text; }
  }

  function render(s) {
    var title = "";
    document.querySelectorAll("[data-item-id]").forEach(function (li) {
      var current = String(s.item) === li.getAttribute("data-item-id") && s.state === "live";
      li.classList.toggle("cd-agenda__item--current", current);
      if (current) title = li.getAttribute("data-item-title");
    });
    setText(itemNode, s.state === "live" ? (title || t.live) : (t[s.state] || ""));
    var rows = s.queue || [];
    queueNode.replaceChildren.apply(queueNode, rows.length ? rows.map(function (r) {
      var li = document.createElement("li");
      li.setAttribute("data-speaker", r.id);
      li.textContent = r.state === "speaking" ? r.name + " — " + t.speaking : r.name;
      if (r.state === "speaking") li.className = "cd-queue__speaking";
      if (r.id === me) li.classList.add("cd-queue__me");
      return li;
    }) : [(function () { var li = document.createElement("li"); li.className = "cd-queue__empty"; li.textContent = t.empty; return li; })()]);
    if (me && placeNode) {
      var mine = rows.filter(function (r) { return r.id === me; })[0];
      var text;
      if (mine && mine.state === "speaking") text = t.turn;
      else if (mine) text = mine.place === 1 ? t.next : t.place.replace("{n}", mine.place);
      else {
        var done = (s.finished || {})[me];
        text = done === "done" ? t.done : done === "missed" ? t.missed : done === "not_reached" ? t.not_reached : t.left;
      }
      setText(placeNode, text);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + root.getAttribute("data-socket"));
    socket.onopen = function () { delay = 1000; setText(status, t.connected); };
    socket.onmessage = function (e) {
      var data = JSON.parse(e.data);
      if (data.type === "state") render(data);
    };
    socket.onclose = function (e) {
      if (e.code === 4404) return;  // not a public meeting
      setText(status, t.reconnecting);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
