/* The article editor: a toolbar of real buttons that write Markdown around the selection, a
 * link list of the site's articles and services, and under each body a live preview made by
 * the server's own renderer (what residents will see) with its link check. The text stays
 * a plain textarea: screen readers, spell checkers and the browser's undo all keep working. */
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form) return;
  var targets = JSON.parse(document.getElementById("link-targets-data").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var n = 0;
  function wrap(area, before, after, placeholder) {
    var s = area.selectionStart, e = area.selectionEnd, chosen = area.value.slice(s, e) || placeholder;
    area.setRangeText(before + chosen + after, s, e, "end");
    area.setSelectionRange(s + before.length, s + before.length + chosen.length);
    area.focus();
    area.dispatchEvent(new Event("input"));
  }
  function lines(area, mark) {
    var s = area.value.lastIndexOf("\n", area.selectionStart - 1) + 1, e = area.selectionEnd;
    var block = area.value.slice(s, e) || "";
    var i = 0;
    var marked = block.split("\n").map(function (line) { i++; return (typeof mark === "function" ? mark(i) : mark) + line; }).join("\n");
    area.setRangeText(marked, s, e, "end");
    area.focus();
    area.dispatchEvent(new Event("input"));
  }
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-markdown]"), function (area) {
    n++;
    var bar = document.getElementById("md-toolbar").content.firstElementChild.cloneNode(true);
    var select = bar.querySelector("select"), label = bar.querySelector("[data-md-label]");
    select.id = "md-target-" + n;
    label.setAttribute("for", select.id);
    targets.forEach(function (t) { var o = document.createElement("option"); o.value = t[0]; o.textContent = t[1]; select.appendChild(o); });
    area.parentNode.insertBefore(bar, area);
    var preview = document.getElementById("md-preview").content.firstElementChild.cloneNode(true);
    area.parentNode.insertBefore(preview, area.nextSibling);
    var html = preview.querySelector("[data-md-html]"), problems = preview.querySelector("[data-md-problems]");
    html.setAttribute("lang", area.getAttribute("lang") || "");
    bar.addEventListener("click", function (e) {
      var kind = e.target.getAttribute("data-md");
      if (kind === "heading") lines(area, "## ");
      else if (kind === "bold") wrap(area, "**", "**", "bold text");
      else if (kind === "list") lines(area, "- ");
      else if (kind === "numbered") lines(area, function (i) { return i + ". "; });
      else if (kind === "link") wrap(area, "[", "](https://)", "link text");
    });
    select.addEventListener("change", function () {
      if (!select.value) return;
      var text = select.options[select.selectedIndex].textContent.replace(/^[^:]*:\s*/, "");
      var s = area.selectionStart, e = area.selectionEnd, chosen = area.value.slice(s, e) || text;
      area.setRangeText("[" + chosen + "](" + select.value + ")", s, e, "end");
      select.value = "";
      area.focus();
      area.dispatchEvent(new Event("input"));
    });
    var timer = null, sent = null;
    function render() {
      if (area.value === sent) return;
      sent = area.value;
      var body = new FormData();
      body.append("text", area.value);
      fetch(form.getAttribute("data-preview"), {method: "POST", body: body, credentials: "same-origin",
                                                headers: {"X-CSRFToken": csrf}})
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          html.innerHTML = data.html;  // made safe by the server (nh3), the same as the public page
          problems.innerHTML = "";
          (data.problems.length ? data.problems : [problems.getAttribute("data-ok")]).forEach(function (p) {
            var li = document.createElement("li"); li.textContent = p; problems.appendChild(li);
          });
          problems.classList.toggle("cd-md-problems--bad", data.problems.length > 0);
        }).catch(function () { sent = null; });
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 400); });
    if (area.value) render();
  });
})();
