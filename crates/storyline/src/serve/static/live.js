// Live feed: every few seconds, ask the server how many articles it holds; when the number
// grows (a crawler's folder being watched, or articles posted), say so at the top of the page.
(function () {
  "use strict";
  var seen = null;
  var badge = document.getElementById("live");
  function poll() {
    fetch("/api/health", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (health) {
        if (!health || typeof health.articles !== "number") { return; }
        if (seen === null) { seen = health.articles; return; }
        if (health.articles > seen && badge) {
          var fresh = health.articles - seen;
          badge.textContent = "";
          var link = document.createElement("a");
          link.href = window.location.href;
          link.textContent = fresh + " new article" + (fresh === 1 ? "" : "s") + ": reload";
          badge.appendChild(link);
          badge.hidden = false;
        }
      })
      .catch(function () {});
  }
  poll();
  window.setInterval(poll, 5000);
})();
