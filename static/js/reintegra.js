// Progressive enhancement only: every form works without JavaScript.
(function () {
  "use strict";
  function autosubmit(event) {
    var form = event.target.form;
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }
  function wire(root) {
    root.querySelectorAll("select.js-autosubmit").forEach(function (select) {
      select.addEventListener("change", autosubmit);
      var button = select.form && select.form.querySelector("button[type=submit]");
      if (button) { button.classList.add("visually-hidden"); }
    });
    root.querySelectorAll("[data-confirm]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });
  // htmx requests carry the CSRF token from the page's form tokens.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
