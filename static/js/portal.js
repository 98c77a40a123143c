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
})();
