// Small behaviours every page shares, kept out of the HTML because the CSP allows scripts from 'self' only.
(function () {
  "use strict";
  // <form data-confirm="…"> asks before it is sent (deleting a watch removes its posts and signals).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // The alert channel form shows only the fields of the chosen kind.
  var kind = document.getElementById("channel-kind");
  if (kind) {
    var update = function () {
      document.querySelectorAll("[data-kinds]").forEach(function (block) {
        var kinds = block.getAttribute("data-kinds").split(" ");
        block.hidden = kinds.indexOf(kind.value) < 0;
      });
    };
    kind.addEventListener("change", update);
    update();
  }
})();
