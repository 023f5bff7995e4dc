/* medclaim report, index: sort, filter, review progress, corpus-wide export and import. */
"use strict";

(function () {
  var corpus = Medclaim.readData();
  var tbody = document.querySelector("#docs tbody");
  var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr"));
  var docs = {};
  corpus.documents.forEach(function (d) { docs[d.sha256] = d; });

  function progress() {
    var total = 0, done = 0;
    rows.forEach(function (tr) {
      var doc = corpus.documents[Number(tr.getAttribute("data-n")) - 1];
      var ids = doc ? doc.flags.map(function (f) { return f[0]; }) : [];
      var n = Medclaim.reviewed(Medclaim.load(tr.getAttribute("data-sha")), ids);
      tr.setAttribute("data-reviewed", String(n));
      tr.querySelector(".reviewed").textContent = n + "/" + ids.length;
      total += ids.length;
      done += n;
    });
    document.getElementById("progress").textContent = done + "/" + total + " reviewed";
  }

  var sortKey = "n", sortDir = 1;
  function sort(key, type, dir) {
    sortKey = key;
    sortDir = dir;
    var attr = "data-" + key;
    rows.sort(function (a, b) {
      var x = a.getAttribute(attr), y = b.getAttribute(attr);
      var c = type === "num" ? Number(x) - Number(y) : x.localeCompare(y, "zh");
      return c * dir || Number(a.getAttribute("data-n")) - Number(b.getAttribute("data-n"));
    });
    rows.forEach(function (tr) { tbody.appendChild(tr); });
    document.querySelectorAll("#docs th").forEach(function (th) {
      var b = th.querySelector("button");
      th.setAttribute("aria-sort", b && b.getAttribute("data-sort") === key ? (dir > 0 ? "ascending" : "descending") : "none");
    });
    save();
  }

  function filter() {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    var sev = document.getElementById("f-sev").value, cat = document.getElementById("f-cat").value;
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!q || tr.getAttribute("data-id").toLowerCase().indexOf(q) >= 0) &&
               (!sev || Number(tr.getAttribute("data-" + sev)) > 0) &&
               (!cat || tr.getAttribute("data-categories").split(" ").indexOf(cat) >= 0);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = shown + " shown";
    save();
  }

  function save() {
    Medclaim.settings("index", {key: sortKey, dir: sortDir, q: document.getElementById("filter").value,
                                sev: document.getElementById("f-sev").value, cat: document.getElementById("f-cat").value});
  }

  document.querySelectorAll("#docs th button").forEach(function (b) {
    b.addEventListener("click", function () {
      var key = b.getAttribute("data-sort");
      sort(key, b.getAttribute("data-type"), key === sortKey ? -sortDir : (b.getAttribute("data-type") === "num" && key !== "n" ? -1 : 1));
    });
  });
  ["filter", "f-sev", "f-cat"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", filter);
    document.getElementById(id).addEventListener("change", filter);
  });

  document.getElementById("export").addEventListener("click", function () {
    var lines = corpus.documents.map(function (d) { return JSON.stringify(Medclaim.exportRecord(d, Medclaim.load(d.sha256))); });
    Medclaim.download("medclaim-review.jsonl", lines);
  });
  Medclaim.onImport(document.getElementById("import"), docs, progress);

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || Medclaim.typing(ev)) { return; }
    if (ev.key === "/") { ev.preventDefault(); document.getElementById("filter").focus(); }
  });

  var saved = Medclaim.settings("index");
  if (saved) {
    document.getElementById("filter").value = saved.q || "";
    document.getElementById("f-sev").value = saved.sev || "";
    document.getElementById("f-cat").value = saved.cat || "";
    var b = document.querySelector('#docs th button[data-sort="' + saved.key + '"]');
    if (b) { sort(saved.key, b.getAttribute("data-type"), saved.dir || 1); }
  }
  filter();
  progress();
  window.addEventListener("pageshow", progress);  // back from a document: fresh counts
})();
