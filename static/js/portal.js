// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before actions that are hard to undo.
  document.querySelectorAll(".button-danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("Are you sure? This takes effect at once.")) event.preventDefault();
    });
  });
  // A search's purpose: the description field only for "other" (shown to all without script).
  document.querySelectorAll("fieldset.purpose").forEach(function (fieldset) {
    var select = fieldset.querySelector("select[name=purpose]");
    var detail = fieldset.querySelector("[data-purpose-detail]");
    if (!select || !detail) return;
    var show = function () { detail.hidden = select.value !== "other"; };
    select.addEventListener("change", show);
    show();
  });
  // The menu: open beside the page on a wide screen, behind its "Menu" button on a narrow one
  // (without script it stays behind the button everywhere). The width matches portal.css.
  var menu = document.querySelector("details[data-menu]");
  if (menu) {
    var wide = window.matchMedia("(min-width: 50.01rem)");
    var fit = function () { menu.open = wide.matches; };
    wide.addEventListener("change", fit);
    fit();
  }
  // The error summary: focus moves to it, so it is read out and in view; each link goes to its
  // field, opening a collapsed section around it and keeping the field's label in sight.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var details = field.closest("details");
      if (details) details.open = true;
      var group = field.closest(".field");
      var label = (group && group.querySelector("legend, label")) || field;
      label.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
  // A long form left with changes not yet saved: the browser asks before the page goes (its own
  // words; pages may not set them). Saving is leaving on purpose.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var changed = false;
    var note = function () { changed = true; };
    form.addEventListener("input", note);
    form.addEventListener("change", note);
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!changed) return;
      event.preventDefault();
      event.returnValue = "";  // what older browsers wait for before they ask
    });
  });
})();
