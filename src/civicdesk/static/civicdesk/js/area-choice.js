// The area alert form: show the fields of the area chosen (near an address, or a ward) and
// hide the others. Without JavaScript both sets show, and the server reads the chosen one.
(function () {
  "use strict";
  var radios = document.querySelectorAll('input[name="area"]');
  if (!radios.length) return;
  function update() {
    var chosen = document.querySelector('input[name="area"]:checked');
    var value = chosen ? chosen.value : "near";
    document.querySelectorAll("[data-area]").forEach(function (group) {
      group.hidden = group.getAttribute("data-area") !== value;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
