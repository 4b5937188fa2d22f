// Address autocomplete on the request form (GOV.UK's accessible-autocomplete: a combobox
// screen readers announce). Without JavaScript the plain text field works, and the server
// answers an address it cannot find with a "did you mean" list.
// Picking a suggestion fills the register's ID and moves the map's pin; a pin on the map
// asks for the nearest address and shows it back (map-pick.js sends "civicdesk:pin").
(function () {
  var box = document.getElementById("address-lookup");
  var input = document.getElementById("id_address");
  var hidden = document.getElementById("id_address_id");
  var status = document.getElementById("pin-address");
  if (!box || !input || !hidden || !window.accessibleAutocomplete) return;
  var results = [];
  var chosen = null;
  var timer = null;
  var wrapper = document.createElement("div");
  input.parentNode.insertBefore(wrapper, input);
  var start = input.value;
  var described = input.getAttribute("aria-describedby");
  input.parentNode.removeChild(input);
  window.accessibleAutocomplete({
    element: wrapper,
    id: "id_address",
    name: "address",
    defaultValue: start,
    minLength: 2,
    autoselect: false,
    showNoOptionsFound: false,
    displayMenu: "overlay",
    inputClasses: "usa-input",
    menuAttributes: { "aria-label": box.querySelector("label").textContent.trim() },
    source: function (query, populate) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(box.dataset.suggest + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            results = data.results || [];
            populate(results.map(function (r) { return r.label; }));
          })
          .catch(function () { populate([]); });
      }, 150);
    },
    onConfirm: function (label) {
      var hit = results.filter(function (r) { return r.label === label; })[0];
      if (!hit) return;
      chosen = hit;
      hidden.value = hit.id;
      // The place's point, whether or not the map is shown (on a phone it loads when asked).
      var lat = document.getElementById("id_lat"), lng = document.getElementById("id_long");
      if (lat && lng && hit.lat != null && hit.long != null) { lat.value = (+hit.lat).toFixed(6); lng.value = (+hit.long).toFixed(6); }
      document.dispatchEvent(new CustomEvent("civicdesk:address", { detail: hit }));
    }
  });
  var typed = document.getElementById("id_address");
  if (described && typed) typed.setAttribute("aria-describedby", described);
  if (typed) {
    typed.setAttribute("autocomplete", "off");
    typed.addEventListener("input", function () {
      if (!chosen || typed.value !== chosen.label) { hidden.value = ""; chosen = null; }
    });
  }
  document.addEventListener("civicdesk:pin", function (e) {
    var p = e.detail;
    fetch(box.dataset.reverse + "?lat=" + p.lat + "&long=" + p.lng, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.inside === false) { status.textContent = data.message; return; }
        if (!data.result) { status.textContent = ""; return; }
        status.textContent = status.dataset.prefix ? status.dataset.prefix + " " + data.result.label : data.result.label;
        if (typed && !typed.value) { typed.value = data.result.label; hidden.value = data.result.id; chosen = data.result; }
      })
      .catch(function () {});
  });
})();
