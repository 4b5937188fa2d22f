// Disable the submit button after the first click. The server does not rely on this:
// the form's submission key makes a repeated POST return the first request.
(function () {
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
