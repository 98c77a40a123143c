// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before actions that are hard to undo.
  document.querySelectorAll(".button-danger").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm("Are you sure? This takes effect at once.")) event.preventDefault();
    });
  });
})();
