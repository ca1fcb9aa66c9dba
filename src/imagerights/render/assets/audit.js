(function () {
  "use strict";
  var table = document.getElementById("files");
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var cards = {};
  Array.prototype.forEach.call(document.querySelectorAll(".card"), function (c) { cards[c.id] = c; });
  var q = document.getElementById("q"), fv = document.getElementById("fverdict"), fc = document.getElementById("fcode");
  var count = document.getElementById("count");

  function apply() {
    var text = (q.value || "").toLowerCase(), verdict = fv.value, code = fc.value, shown = 0;
    rows.forEach(function (tr) {
      var ok = (!verdict || tr.getAttribute("data-verdict") === verdict) &&
        (!code || (" " + tr.getAttribute("data-codes") + " ").indexOf(" " + code + " ") >= 0) &&
        (!text || tr.getAttribute("data-text").indexOf(text) >= 0);
      tr.classList.toggle("hidden", !ok);
      var card = cards[tr.getAttribute("data-card")];
      if (card) card.classList.toggle("hidden", !ok);
      if (ok) shown++;
    });
    count.textContent = count.getAttribute("data-template").replace("{n}", shown).replace("{total}", rows.length);
  }
  [q, fv, fc].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    if (!th.hasAttribute("data-sort")) return;
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = th.getAttribute("data-sort") === "num";
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-key") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-key") || b.cells[col].textContent;
        var r = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
        return asc ? r : -r;
      });
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    });
  });

  function copyText(text, button) {
    function done() { button.classList.add("done"); button.textContent = button.getAttribute("data-done"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else { fallback(); }
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selectable */ }
      document.body.removeChild(ta);
    }
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.copy") : null;
    if (!b) return;
    var target = document.getElementById(b.getAttribute("data-target"));
    if (target) copyText(target.textContent, b);
  });
  // report.html#q=text&verdict=stop&code=FIL001 opens with those filters (links that can be shared)
  if (location.hash.indexOf("#q=") === 0 || location.hash.indexOf("#verdict=") === 0 || location.hash.indexOf("#code=") === 0) {
    location.hash.slice(1).split("&").forEach(function (kv) {
      var i = kv.indexOf("="), k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "q") q.value = v; else if (k === "verdict") fv.value = v; else if (k === "code") fc.value = v;
    });
  }
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
