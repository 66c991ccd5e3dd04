/* Runs first: collect every script error, failed resource and policy violation into
   #js-errors, so a headless browser's DOM dump shows them (tests assert it stays empty). */
(function () {
  "use strict";
  var errors = [];
  function flush() {
    var box = document.getElementById("js-errors");
    if (!box) return;
    box.textContent = "";
    errors.forEach(function (msg) {
      var line = document.createElement("div");
      line.className = "js-error";
      line.textContent = msg;
      box.appendChild(line);
    });
    box.setAttribute("data-count", String(errors.length));
    box.hidden = errors.length === 0;
  }
  function report(msg) {
    errors.push(String(msg));
    flush();
  }
  window.addEventListener("error", function (e) {
    if (e.target && e.target !== window && e.target.tagName) {
      report("failed to load <" + e.target.tagName.toLowerCase() + ">");
    } else {
      report((e.message || "error") + " at " + (e.lineno || "?") + ":" + (e.colno || "?"));
    }
  }, true);
  window.addEventListener("unhandledrejection", function (e) { report("unhandled rejection: " + e.reason); });
  document.addEventListener("securitypolicyviolation", function (e) {
    report("blocked by content policy: " + e.violatedDirective + " " + e.blockedURI);
  });
  var original = console.error;
  console.error = function () {
    report(Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
  document.addEventListener("DOMContentLoaded", flush);
})();
