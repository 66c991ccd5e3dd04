/* Filters, kept in the URL hash (#verdict=FAIL&hoi=ride%20bicycle&attention=1) so a filtered
   view can be bookmarked or shared, and the chart links and headline numbers can set them. */
(function () {
  "use strict";
  var keys = ["verdict", "hoi", "attention"];
  var cards = Array.prototype.slice.call(document.querySelectorAll("#gallery .card"));
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById("f-" + k); });

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var state = {};
    keys.forEach(function (k) { state[k] = params.get(k) || ""; });
    return state;
  }

  function writeHash(state) {
    var params = new URLSearchParams();
    keys.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var text = params.toString().replace(/\+/g, "%20");
    history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
  }

  function apply(state) {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = keys.every(function (k) {
        return !state[k] || card.getAttribute("data-" + k) === state[k];
      });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    keys.forEach(function (k) {
      var sel = selects[k];
      if (!sel) return;
      if (state[k] && !Array.prototype.some.call(sel.options, function (o) { return o.value === state[k]; })) {
        var extra = document.createElement("option");  // a value no card has: still show what is filtered
        extra.value = extra.textContent = state[k];
        sel.appendChild(extra);
      }
      sel.value = state[k];
    });
    document.getElementById("shown-count").textContent = String(shown);
    document.getElementById("no-match").hidden = shown !== 0;
    document.body.setAttribute("data-filtered", keys.some(function (k) { return state[k]; }) ? "1" : "0");
  }

  keys.forEach(function (k) {
    if (!selects[k]) return;
    selects[k].addEventListener("change", function () {
      var state = readHash();
      state[k] = selects[k].value;
      writeHash(state);
      apply(state);
    });
  });
  document.getElementById("f-clear").addEventListener("click", function () {
    writeHash({});
    apply(readHash());
  });
  window.addEventListener("hashchange", function () { apply(readHash()); });
  apply(readHash());
})();
