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

  // While a save is on its way, its submit buttons (all of them in a [data-busy-scope], such
  // as the plan) are disabled, so a quick second click cannot race the first.
  function scopeOf(element) {
    return (element.closest && element.closest("[data-busy-scope]")) || element.closest("form") || element;
  }
  function setBusy(scope, busy) {
    scope.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      if (busy) {
        if (!button.disabled) { button.disabled = true; button.setAttribute("data-busy", ""); }
      } else if (button.hasAttribute("data-busy")) {
        button.disabled = false; button.removeAttribute("data-busy");
      }
    });
    if (busy) { scope.setAttribute("aria-busy", "true"); } else { scope.removeAttribute("aria-busy"); }
  }
  // What the user types while a request is on its way is kept when its answer replaces the
  // form (a conditional question appearing must not wipe what was typed meanwhile).
  var typedSince = {};
  var pending = 0;
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (pending && field.name && field.type !== "file" && field.type !== "radio" && field.type !== "checkbox") {
      typedSince[field.name] = field.value;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "get";
    if (verb !== "get") {
      pending += 1;
      setBusy(scopeOf(event.detail.elt), true);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "get";
    if (verb === "get") { return; }
    pending = Math.max(0, pending - 1);
    var scope = scopeOf(event.detail.elt);
    setBusy(document.contains(scope) ? scope : document, false);
  });
  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(typedSince).forEach(function (name) {
      document.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (field) {
        if (field.value !== typedSince[name]) { field.value = typedSince[name]; }
      });
    });
    if (!pending) { typedSince = {}; }
  });
  // A form posted without htmx is sent once: a second click while the page loads does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || form.method.toLowerCase() !== "post") { return; }
    if (form.getAttribute("data-submitted")) { event.preventDefault(); return; }
    form.setAttribute("data-submitted", "1");
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.removeAttribute("data-submitted");
      form.querySelectorAll("[aria-disabled]").forEach(function (b) { b.removeAttribute("aria-disabled"); });
    });
  });
})();
