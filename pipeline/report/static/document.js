/* medclaim report, document page: draw selection, filters, review keys, export and import. */
"use strict";

(function () {
  var data = Medclaim.readData();
  var textEl = document.getElementById("text");
  data.text = textEl.textContent;  // the article is rendered as plain text runs: its textContent is the text
  var state = Medclaim.load(data.sha256);
  var undo = [];
  var LABELS = ["DISEASE", "SYMPTOM", "DRUG", "THERAPY", "PROCEDURE", "BIOMARKER", "BODY", "DEVICE", "MICROBE",
                "ORG", "PERSON", "LOC", "PUBLICATION", "TRIAL", "METRIC"];
  data.labels.forEach(function (l) { if (LABELS.indexOf(l) < 0) { LABELS.push(l); } });

  // span id -> the text runs it covers
  var runs = {};
  var segs = textEl.querySelectorAll(".seg");
  for (var i = 0; i < segs.length; i++) {
    var ids = segs[i].getAttribute("data-ids").split(" ");
    for (var j = 0; j < ids.length; j++) { (runs[ids[j]] = runs[ids[j]] || []).push(segs[i]); }
  }
  var pmarks = textEl.querySelectorAll(".pmark");  // a passage's flag: its mark stands for its runs
  for (i = 0; i < pmarks.length; i++) {
    (runs[pmarks[i].getAttribute("data-flag")] = runs[pmarks[i].getAttribute("data-flag")] || []).push(pmarks[i]);
  }
  var flagById = {}, entityById = {}, numberById = {};
  data.flags.forEach(function (f) { flagById[f.id] = f; });
  data.entities.forEach(function (e) { entityById[e.id] = e; });
  data.numbers.forEach(function (n) { numberById[n.id] = n; });
  var items = Array.prototype.slice.call(document.querySelectorAll("#flags .flag"));
  var current = -1;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  // ---- review state ----
  function paintItem(li) {
    var s = state.flags[li.getAttribute("data-flag")] || {};
    li.classList.toggle("accepted", s.decision === "accept");
    li.classList.toggle("rejected", s.decision === "reject");
    li.querySelector(".decision").textContent = s.decision ? (s.decision === "accept" ? "✓ accepted" : "✗ rejected") : "";
    var note = li.querySelector(".note");
    note.hidden = !s.note;
    note.textContent = s.note ? "note: " + s.note : "";
  }

  function paintProgress() {
    var n = Medclaim.reviewed(state, data.flags.map(function (f) { return f.id; }));
    document.getElementById("progress").textContent = n + "/" + data.flags.length + " reviewed";
  }

  function setDecision(li, decision, note) {
    var id = li.getAttribute("data-flag");
    var prev = state.flags[id] ? {decision: state.flags[id].decision || null, note: state.flags[id].note || ""} : null;
    undo.push({id: id, prev: prev});
    var s = state.flags[id] || {decision: null, note: ""};
    if (decision !== undefined) { s.decision = decision; }
    if (note !== undefined) { s.note = note; }
    state.flags[id] = s;
    Medclaim.save(data.sha256, state);
    paintItem(li);
    paintProgress();
  }

  function undoLast() {
    var last = undo.pop();
    if (!last) { return; }
    if (last.prev) { state.flags[last.id] = last.prev; } else { delete state.flags[last.id]; }
    Medclaim.save(data.sha256, state);
    var li = document.getElementById("flag-" + last.id);
    paintItem(li);
    paintProgress();
    select(items.indexOf(li));
  }

  // ---- filters ----
  function visible(li) { return !li.hidden; }

  function applyFilters() {
    var sevs = {};
    document.querySelectorAll(".f-sev").forEach(function (c) { sevs[c.value] = c.checked; });
    var cat = document.getElementById("f-cat").value;
    var q = document.getElementById("search").value.trim().toLowerCase();
    var shown = 0, hiddenFlags = {};
    items.forEach(function (li) {
      var f = flagById[li.getAttribute("data-flag")];
      var also = f.also || [];  // the other rules merged into this flag count for the filters too
      var hay = (f.text + " " + f.code + " " + f.category + " " + f.message + " " + (f.suggestion || "") + " " +
                 also.map(function (x) { return x.code + " " + x.category + " " + x.message; }).join(" ")).toLowerCase();
      var cats = [f.category].concat(also.map(function (x) { return x.category; }));
      var ok = sevs[f.severity] && (!cat || cats.indexOf(cat) >= 0) && (!q || hay.indexOf(q) >= 0);
      li.hidden = !ok;
      if (ok) { shown += 1; } else { hiddenFlags[f.id] = true; }
    });
    document.getElementById("shown-count").textContent = shown + " shown of " + items.length;
    // dim the highlight of runs whose every flag is filtered out
    for (var k = 0; k < segs.length; k++) {
      var seg = segs[k];
      if (seg.className.indexOf("fl") < 0) { continue; }
      var ids = seg.getAttribute("data-ids").split(" "), any = false, has = false;
      for (var m = 0; m < ids.length; m++) {
        if (flagById[ids[m]]) { has = true; if (!hiddenFlags[ids[m]]) { any = true; break; } }
      }
      seg.classList.toggle("fl-off", has && !any);
    }
    for (k = 0; k < pmarks.length; k++) { pmarks[k].hidden = !!hiddenFlags[pmarks[k].getAttribute("data-flag")]; }
    document.body.classList.toggle("hide-entities", !document.getElementById("t-entities").checked);
    document.body.classList.toggle("hide-numbers", !document.getElementById("t-numbers").checked);
    Medclaim.settings("document", {entities: document.getElementById("t-entities").checked,
                                   numbers: document.getElementById("t-numbers").checked});
  }

  // ---- selection ----
  function mark(id, cls, on) { (runs[id] || []).forEach(function (s) { s.classList.toggle(cls, on); }); }

  function select(index, scroll, keepBox) {
    if (current >= 0 && items[current]) {
      var old = items[current];
      old.classList.remove("current");
      old.removeAttribute("aria-current");
      var of = flagById[old.getAttribute("data-flag")];
      mark(of.id, "hl", false);
      (of.related || []).forEach(function (_, k) { mark(of.id + ".r" + k, "hl-rel", false); });
    }
    current = index;
    if (index < 0 || !items[index]) { return; }
    var li = items[index], f = flagById[li.getAttribute("data-flag")];
    li.classList.add("current");
    li.setAttribute("aria-current", "true");
    li.focus({preventScroll: true});
    li.scrollIntoView({block: "nearest"});
    mark(f.id, "hl", true);
    (f.related || []).forEach(function (_, k) { mark(f.id + ".r" + k, "hl-rel", true); });
    var first = (runs[f.id] || [])[0];
    if (first && scroll !== false) { first.scrollIntoView({block: "center"}); }
    if (!keepBox) { showRelated(f); }
  }

  function showRelated(f) {
    var box = document.getElementById("selection");
    box.textContent = "";
    if (!f.related || !f.related.length) { box.hidden = true; return; }
    box.appendChild(el("h3", "related to " + f.id));
    var ul = el("ul");
    f.related.forEach(function (r) { ul.appendChild(el("li", "«" + data.text.slice(r.start, r.end) + "» at " + r.start)); });
    box.appendChild(ul);
    box.hidden = false;
  }

  function step(delta) {
    var n = items.length;
    if (!n) { return; }
    var i = current;
    for (var k = 0; k < n; k++) {
      i = i + delta;
      if (i < 0 || i >= n) { return; }
      if (visible(items[i])) { select(i); return; }
    }
  }

  function decide(decision) {
    if (current < 0) { step(1); if (current < 0) { return; } }
    setDecision(items[current], decision);
    step(1);
  }

  // clicking a run: its flags, entities and numbers
  function showSpan(seg) {
    var ids = seg.getAttribute("data-ids").split(" ");
    var box = document.getElementById("selection");
    box.textContent = "";
    box.appendChild(el("h3", "«" + seg.textContent + "»"));
    var flags = ids.filter(function (id) { return flagById[id]; });
    if (flags.length) {
      var ul = el("ul");
      flags.forEach(function (id) {
        var f = flagById[id], li = el("li"), b = el("button", id + " " + f.category + " (" + f.severity + ")");
        b.type = "button";
        b.addEventListener("click", function () { select(items.indexOf(document.getElementById("flag-" + id))); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    ids.filter(function (id) { return entityById[id]; }).forEach(function (id) { box.appendChild(entityEditor(entityById[id])); });
    ids.filter(function (id) { return numberById[id]; }).forEach(function (id) {
      var n = numberById[id];
      box.appendChild(el("p", "number «" + data.text.slice(n.start, n.end) + "»: " + n.kind + " " +
                              JSON.stringify(n.value) + (n.unit ? " " + n.unit : "")));
    });
    box.hidden = false;
    if (flags.length === 1) { select(items.indexOf(document.getElementById("flag-" + flags[0])), false, true); }
  }

  function entityEditor(e) {
    var wrap = el("p", null, "entity-edit");
    var removed = state.entities.removed.indexOf(e.id) >= 0;
    wrap.appendChild(el("span", "entity «" + data.text.slice(e.start, e.end) + "» (" + (e.source || "") + ") "));
    var sel = el("select");
    sel.setAttribute("aria-label", "label of " + e.id);
    LABELS.forEach(function (l) { var o = el("option", l); o.value = l; sel.appendChild(o); });
    sel.value = state.entities.labels[e.id] || e.label;
    sel.addEventListener("change", function () {
      if (sel.value === e.label) { delete state.entities.labels[e.id]; } else { state.entities.labels[e.id] = sel.value; }
      Medclaim.save(data.sha256, state);
    });
    var rm = el("button", removed ? "restore" : "remove");
    rm.type = "button";
    rm.addEventListener("click", function () {
      var at = state.entities.removed.indexOf(e.id);
      if (at >= 0) { state.entities.removed.splice(at, 1); } else { state.entities.removed.push(e.id); }
      Medclaim.save(data.sha256, state);
      wrap.replaceWith(entityEditor(e));
    });
    wrap.appendChild(sel);
    wrap.appendChild(rm);
    return wrap;
  }

  // character offset of a DOM position inside the article
  function offsetOf(node, offset) {
    var walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT), total = 0, t;
    while ((t = walker.nextNode())) {
      if (t === node) { return total + offset; }
      total += t.nodeValue.length;
    }
    return -1;
  }

  function tagSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !textEl.contains(sel.anchorNode)) { return false; }
    var a = offsetOf(sel.anchorNode, sel.anchorOffset), b = offsetOf(sel.focusNode, sel.focusOffset);
    if (a < 0 || b < 0 || a === b) { return false; }
    var start = Math.min(a, b), end = Math.max(a, b);
    var box = document.getElementById("selection");
    box.textContent = "";
    box.appendChild(el("h3", "new entity «" + data.text.slice(start, end) + "»"));
    var pick = el("select");
    pick.setAttribute("aria-label", "label of the new entity");
    LABELS.forEach(function (l) { var o = el("option", l); o.value = l; pick.appendChild(o); });
    var add = el("button", "add entity");
    add.type = "button";
    add.addEventListener("click", function () {
      state.entities.added.push([start, end, pick.value]);
      Medclaim.save(data.sha256, state);
      box.textContent = "";
      box.appendChild(el("p", "added " + pick.value + " «" + data.text.slice(start, end) + "»"));
    });
    box.appendChild(pick);
    box.appendChild(add);
    box.hidden = false;
    pick.focus();
    return true;
  }

  // ---- notes, help ----
  var noteDialog = document.getElementById("note-dialog");
  function openNote() {
    if (current < 0) { step(1); if (current < 0) { return; } }
    var s = state.flags[items[current].getAttribute("data-flag")] || {};
    document.getElementById("note-text").value = s.note || "";
    noteDialog.showModal();
  }
  noteDialog.addEventListener("close", function () {
    if (noteDialog.returnValue === "save" && current >= 0) {
      setDecision(items[current], undefined, document.getElementById("note-text").value);
    }
    if (current >= 0) { items[current].focus(); }
  });
  document.getElementById("undo").addEventListener("click", undoLast);
  var help = document.getElementById("help");
  document.getElementById("help-open").addEventListener("click", function () { help.showModal(); });
  document.getElementById("help-close").addEventListener("click", function () { help.close(); });

  // ---- export, import ----
  document.getElementById("export").addEventListener("click", function () {
    var name = "medclaim-review-" + String(data.id || "document").replace(/[^A-Za-z0-9._-]+/g, "_") + ".jsonl";
    Medclaim.download(name, [JSON.stringify(Medclaim.exportRecord(data, state))]);
  });
  var known = {};
  known[data.sha256] = true;
  Medclaim.onImport(document.getElementById("import"), known, function () {
    state = Medclaim.load(data.sha256);
    items.forEach(paintItem);
    paintProgress();
  });

  // ---- wiring ----
  items.forEach(function (li, index) {
    paintItem(li);
    li.addEventListener("click", function (ev) { if (ev.target.tagName !== "BUTTON") { select(index); } });
    li.querySelector(".do-accept").addEventListener("click", function () { select(index, false); decide("accept"); });
    li.querySelector(".do-reject").addEventListener("click", function () { select(index, false); decide("reject"); });
    li.querySelector(".do-note").addEventListener("click", function () { select(index, false); openNote(); });
  });
  function selectMark(ev) {
    var pm = ev.target.closest ? ev.target.closest(".pmark") : null;
    if (!pm) { return false; }
    select(items.indexOf(document.getElementById("flag-" + pm.getAttribute("data-flag"))));
    return true;
  }
  textEl.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && selectMark(ev)) { ev.preventDefault(); }
  });
  textEl.addEventListener("click", function (ev) {
    if (selectMark(ev)) { return; }
    var seg = ev.target.closest ? ev.target.closest(".seg") : null;
    if (seg && window.getSelection().isCollapsed) { showSpan(seg); }
  });
  textEl.addEventListener("mouseup", function () { tagSelection(); });
  textEl.addEventListener("mouseover", function (ev) {
    var seg = ev.target.closest ? ev.target.closest(".seg") : null;
    if (!seg || seg.title) { return; }
    seg.title = seg.getAttribute("data-ids").split(" ").map(function (id) {
      if (flagById[id]) { return flagById[id].category + " (" + flagById[id].severity + ")"; }
      if (entityById[id]) { return entityById[id].label; }
      if (numberById[id]) { return "number: " + numberById[id].kind; }
      return "";
    }).filter(Boolean).join(" · ");
  });
  ["f-cat", "search", "t-entities", "t-numbers"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", applyFilters);
    document.getElementById(id).addEventListener("change", applyFilters);
  });
  document.querySelectorAll(".f-sev").forEach(function (c) { c.addEventListener("change", applyFilters); });
  var saved = Medclaim.settings("document");
  if (saved) {
    document.getElementById("t-entities").checked = saved.entities !== false;
    document.getElementById("t-numbers").checked = saved.numbers !== false;
  }

  function go(id) { var a = document.getElementById(id); if (a) { window.location.href = a.getAttribute("href"); } }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (help.open || noteDialog.open || Medclaim.typing(ev)) { return; }
    var handled = true;
    switch (ev.key) {
      case "j": step(1); break;
      case "k": step(-1); break;
      case "a": decide("accept"); break;
      case "r": decide("reject"); break;
      case "u": undoLast(); break;
      case "n": openNote(); break;
      case "e": if (!tagSelection()) { handled = false; } break;
      case "[": go("nav-prev"); break;
      case "]": go("nav-next"); break;
      case "g": go("nav-index"); break;
      case "/": document.getElementById("search").focus(); break;
      case "?": help.showModal(); break;
      default: handled = false;
    }
    if (handled) { ev.preventDefault(); }
  });

  applyFilters();
  paintProgress();
})();
