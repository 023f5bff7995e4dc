/* medclaim report: review state kept in localStorage, export and import as JSON Lines.
 * Document text never goes through innerHTML: every string is set with textContent. */
"use strict";

var Medclaim = (function () {
  var PREFIX = "medclaim:v1:";

  function readData() {
    var node = document.getElementById("medclaim-data");
    return node ? JSON.parse(node.textContent) : {};
  }

  function storageOk() {
    try { localStorage.setItem(PREFIX + "probe", "1"); localStorage.removeItem(PREFIX + "probe"); return true; }
    catch (e) { return false; }
  }
  var hasStorage = storageOk();
  var memory = {};

  /* The review of one document: {flags: {F1: {decision, note}}, entities: {removed: [], labels: {}, added: []}} */
  function load(sha) {
    var raw = hasStorage ? localStorage.getItem(PREFIX + sha) : memory[sha];
    var state = raw ? JSON.parse(raw) : {};
    state.flags = state.flags || {};
    state.entities = state.entities || {removed: [], labels: {}, added: []};
    return state;
  }

  function save(sha, state) {
    var raw = JSON.stringify(state);
    if (hasStorage) { localStorage.setItem(PREFIX + sha, raw); } else { memory[sha] = raw; }
  }

  function reviewed(state, flagIds) {
    var n = 0;
    flagIds.forEach(function (id) { var f = state.flags[id]; if (f && f.decision) { n += 1; } });
    return n;
  }

  /* Entity spans after the reviewer's corrections: [[start, end, label], ...] */
  function correctedSpans(entities, state) {
    var removed = {}, out = [];
    (state.entities.removed || []).forEach(function (id) { removed[id] = true; });
    entities.forEach(function (e, i) {
      var id = e.id !== undefined ? e.id : "E" + (i + 1), start = e.start !== undefined ? e.start : e[0], end = e.end !== undefined ? e.end : e[1];
      var label = e.label !== undefined ? e.label : e[2];
      if (removed[id]) { return; }
      out.push({start: start, end: end, label: (state.entities.labels || {})[id] || label});
    });
    (state.entities.added || []).forEach(function (a) { out.push({start: a[0], end: a[1], label: a[2]}); });
    out.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    return out;
  }

  /* One export record: the tagger reads {text, spans, answer}; the rest is the review. */
  function exportRecord(doc, state) {
    var decisions = doc.flags.map(function (f) {
      var id = f.id !== undefined ? f.id : f[0];
      var s = state.flags[id] || {};
      return {flag: id, code: f.code !== undefined ? f.code : f[1], category: f.category !== undefined ? f.category : f[2],
              severity: f.severity !== undefined ? f.severity : f[3], decision: s.decision || null, note: s.note || ""};
    });
    var record = {id: doc.id, sha256: doc.sha256, decisions: decisions,
                  reviewed: decisions.filter(function (d) { return d.decision; }).length, flags: decisions.length,
                  entity_edits: state.entities};
    if (doc.text !== undefined) {
      record.text = doc.text;
      record.spans = correctedSpans(doc.entities, state);
      record.answer = "accept";
    }
    return record;
  }

  function download(name, lines) {
    var blob = new Blob([lines.join("\n") + "\n"], {type: "application/x-ndjson"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* Read an exported file back; returns how many documents' reviews were restored. */
  function importText(text, knownShas) {
    var n = 0;
    text.split(/\r?\n/).forEach(function (line) {
      if (!line.trim()) { return; }
      var rec;
      try { rec = JSON.parse(line); } catch (e) { return; }
      if (!rec || typeof rec.sha256 !== "string" || (knownShas && !knownShas[rec.sha256])) { return; }
      var state = load(rec.sha256);
      (rec.decisions || []).forEach(function (d) {
        if (typeof d.flag !== "string") { return; }
        var decision = d.decision === "accept" || d.decision === "reject" ? d.decision : null;
        state.flags[d.flag] = {decision: decision, note: typeof d.note === "string" ? d.note : ""};
      });
      if (rec.entity_edits && typeof rec.entity_edits === "object") {
        state.entities = {removed: rec.entity_edits.removed || [], labels: rec.entity_edits.labels || {},
                          added: rec.entity_edits.added || []};
      }
      save(rec.sha256, state);
      n += 1;
    });
    return n;
  }

  function onImport(input, knownShas, done) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () { done(importText(String(reader.result), knownShas)); input.value = ""; };
      reader.readAsText(file);
    });
  }

  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  function settings(name, value) {
    var key = PREFIX + "settings:" + name;
    if (value === undefined) {
      try { return JSON.parse((hasStorage ? localStorage.getItem(key) : memory[key]) || "null"); } catch (e) { return null; }
    }
    var raw = JSON.stringify(value);
    if (hasStorage) { localStorage.setItem(key, raw); } else { memory[key] = raw; }
    return value;
  }

  return {readData: readData, load: load, save: save, reviewed: reviewed, exportRecord: exportRecord,
          download: download, importText: importText, onImport: onImport, typing: typing, settings: settings};
})();
