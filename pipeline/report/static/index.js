/* medclaim report, index: sort, filter, review progress, corpus-wide export and import. */
"use strict";

(function () {
  /* The documents are data (corpus.rows); the table draws one page of the sorted, filtered list, so an
   * index of tens of thousands of documents opens at once and sorting and filtering cover them all. */
  var PAGE = 200;
  var corpus = Medclaim.readData();
  var tbody = document.querySelector("#docs tbody");
  var all = corpus.rows || [];
  var docs = {};
  corpus.documents.forEach(function (d) { docs[d.sha256] = d; });
  var flagIds = {};
  corpus.documents.forEach(function (d) { flagIds[d.sha256] = d.flags.map(function (f) { return f[0]; }); });
  var reviewedBy = {};
  var view = all.slice(), page = 0;

  function progress() {
    var total = 0, done = 0;
    all.forEach(function (r) {
      var ids = flagIds[r.sha256] || [];
      var n = Medclaim.reviewed(Medclaim.load(r.sha256), ids);
      reviewedBy[r.sha256] = n;
      total += ids.length;
      done += n;
    });
    document.getElementById("progress").textContent = done + "/" + total + " reviewed";
    draw();
  }

  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = String(text);
    if (cls) { td.className = cls; }
    return td;
  }

  function row(r) {
    var tr = document.createElement("tr");
    var attrs = {n: r.n, id: r.id, chars: r.chars, error: r.error, warning: r.warning, info: r.info, risk: r.risk,
                 categories: Object.keys(r.categories).join(" "), sha: r.sha256,
                 flags: (flagIds[r.sha256] || []).length, reviewed: reviewedBy[r.sha256] || 0};
    Object.keys(attrs).forEach(function (k) { tr.setAttribute("data-" + k, String(attrs[k])); });
    tr.appendChild(cell(r.n));
    var name = document.createElement("td"), a = document.createElement("a");
    a.href = r.href;
    a.textContent = r.id;
    name.appendChild(a);
    if (r.failed) { var f = document.createElement("span"); f.className = "sev sev-error"; f.textContent = "failed"; name.appendChild(document.createTextNode(" ")); name.appendChild(f); }
    tr.appendChild(name);
    ["chars", "error", "warning", "info", "risk"].forEach(function (k) { tr.appendChild(cell(r[k], "num")); });
    var cats = document.createElement("td");
    cats.className = "cats";
    Object.keys(r.categories).forEach(function (c) {
      var t = document.createElement("span");
      t.className = "tag";
      t.textContent = c + " " + r.categories[c];
      cats.appendChild(t);
      cats.appendChild(document.createTextNode(" "));
    });
    tr.appendChild(cats);
    tr.appendChild(cell(attrs.reviewed + "/" + attrs.flags, "num reviewed"));
    return tr;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    page = Math.min(page, pages - 1);
    var frag = document.createDocumentFragment();
    view.slice(page * PAGE, (page + 1) * PAGE).forEach(function (r) { frag.appendChild(row(r)); });
    tbody.textContent = "";
    tbody.appendChild(frag);
    document.getElementById("shown-count").textContent = view.length + " shown";
    document.getElementById("pager").hidden = pages < 2;
    document.getElementById("page-label").textContent = "page " + (page + 1) + " of " + pages;
    document.getElementById("page-prev").disabled = page === 0;
    document.getElementById("page-next").disabled = page >= pages - 1;
  }

  var sortKey = "n", sortDir = 1, sortType = "num";
  function value(r, key) {
    return key === "reviewed" ? (reviewedBy[r.sha256] || 0) : r[key];
  }
  function order() {
    var key = sortKey, dir = sortDir, num = sortType === "num";
    view.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      var c = num ? x - y : String(x).localeCompare(String(y), "zh");
      return c * dir || a.n - b.n;
    });
  }
  function sort(key, type, dir) {
    sortKey = key;
    sortDir = dir;
    sortType = type;
    order();
    page = 0;
    draw();
    document.querySelectorAll("#docs th").forEach(function (th) {
      var b = th.querySelector("button");
      th.setAttribute("aria-sort", b && b.getAttribute("data-sort") === key ? (dir > 0 ? "ascending" : "descending") : "none");
    });
    save();
  }

  function filter() {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    var sev = document.getElementById("f-sev").value, cat = document.getElementById("f-cat").value;
    view = all.filter(function (r) {
      return (!q || String(r.id).toLowerCase().indexOf(q) >= 0) && (!sev || r[sev] > 0) &&
             (!cat || Object.prototype.hasOwnProperty.call(r.categories, cat));
    });
    order();
    page = 0;
    draw();
    save();
  }

  function save() {
    Medclaim.settings("index", {key: sortKey, dir: sortDir, q: document.getElementById("filter").value,
                                sev: document.getElementById("f-sev").value, cat: document.getElementById("f-cat").value});
  }

  document.getElementById("page-prev").addEventListener("click", function () { page -= 1; draw(); });
  document.getElementById("page-next").addEventListener("click", function () { page += 1; draw(); });
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
    if (b) { sortKey = saved.key; sortDir = saved.dir || 1; sortType = b.getAttribute("data-type"); }
  }
  filter();
  progress();
  window.addEventListener("pageshow", progress);  // back from a document: fresh counts
})();
