/**
 * The explorer's page: plain HTML, CSS and JavaScript in one document, no build step and no
 * dependency. Loaded (and hashed into the page's Content-Security-Policy) on the first page
 * request only. Every value is put into the DOM with textContent, never as HTML.
 *
 * The page holds no data: it fetches the JSON routes next to it (relative URLs, so it works under
 * any mount path) with the bearer token taken from the URL fragment (`#token=…`, which browsers
 * never send to a server) or typed in, kept in sessionStorage. The tree is lazy: a node's
 * children are fetched when it is opened, 200 at a time, so a config of megabytes stays usable.
 * Live updates come over the event stream, read with fetch (EventSource cannot send a header).
 */
export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>confstack explorer</title>
<style>
:root{--bg:#f7f7f8;--fg:#1d1f23;--mute:#6b7280;--line:#e3e5e8;--acc:#2457c5;--ok:#1a7f37;--warn:#9a6700;--bad:#c62828;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg)}
header{display:flex;gap:12px;align-items:center;padding:8px 16px;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:16px;margin:0}.badge{padding:1px 8px;border-radius:10px;font-size:12px;background:#eef1f6;color:var(--mute)}
.ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}.b-ok{background:#e6f4ea;color:var(--ok)}.b-warn{background:#fff4d6;color:var(--warn)}.b-bad{background:#fde7e7;color:var(--bad)}
main{display:grid;grid-template-columns:minmax(320px,1.2fr) minmax(320px,1fr);gap:12px;padding:12px 16px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px;min-width:0}
section h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--mute);margin:0 0 8px}
#left{grid-row:span 3}#search{width:100%;padding:6px 8px;border:1px solid var(--line);border-radius:4px;font:inherit}
#results{list-style:none;margin:4px 0 8px;padding:0;max-height:180px;overflow:auto}#results li{padding:2px 6px;cursor:pointer;font-family:ui-monospace,monospace;font-size:12px}#results li:hover{background:#eef3ff}
#tree{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;max-height:calc(100vh - 190px);overflow:auto}
.row{display:flex;gap:6px;align-items:baseline;padding:1px 4px;border-radius:3px;cursor:pointer;white-space:nowrap}.row:hover{background:#f0f3f9}.row.sel{background:#e3ebff}
.tw{width:12px;color:var(--mute);flex:none}.k{color:#7c3aed}.v{color:#0b6e4f;overflow:hidden;text-overflow:ellipsis}.v.s{color:#a0461a}.o{color:var(--mute);font-size:11px;margin-left:auto;padding-left:12px}
.kids{margin-left:16px}.more{color:var(--acc);cursor:pointer;padding:1px 4px}.flash{animation:fl 2s}@keyframes fl{from{background:#fff3a3}to{background:transparent}}
table{border-collapse:collapse;width:100%;font-size:12.5px}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--mute);font-weight:500}
td.val{font-family:ui-monospace,monospace;word-break:break-all}
#timeline{max-height:360px;overflow:auto}.entry{border-left:3px solid var(--line);padding:4px 8px;margin:6px 0}.entry.applied{border-color:var(--ok)}.entry.rejected{border-color:var(--bad)}
.entry .d{font-family:ui-monospace,monospace;font-size:12px;color:#333}.mute{color:var(--mute)}
#auth{display:none;gap:6px;align-items:center}#auth input{font:inherit;padding:3px 6px}
</style>
</head>
<body>
<header><h1>confstack explorer</h1><span id="ver" class="badge">…</span><span id="conn" class="badge">connecting</span><span id="status" class="badge">health …</span>
<span id="auth"><input id="tok" type="password" placeholder="bearer token" autocomplete="off"><button id="tokgo" type="button">use token</button></span></header>
<main>
<section id="left"><h2>Configuration</h2><input id="search" type="search" placeholder="search keys…" autocomplete="off" spellcheck="false"><ul id="results"></ul><div id="tree"></div></section>
<section><h2>Layers of <span id="lkey" class="mute">(select a key)</span></h2><div id="layers" class="mute">Click a key to see every source that set it.</div></section>
<section><h2>Sources</h2><div id="sources"></div></section>
<section><h2>Reloads</h2><div id="timeline"><div class="mute" id="noreload">No reloads yet.</div></div></section>
</main>
<script>
"use strict";
(function () {
  var base = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
  var token = sessionStorage.getItem("confstack-token") || "";
  var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) { token = decodeURIComponent(m[1]); sessionStorage.setItem("confstack-token", token); history.replaceState(null, "", location.pathname + location.search); }
  var $ = function (id) { return document.getElementById(id); };
  var selected = null, shownEntries = 0, MAX_ENTRIES = 100;

  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function headers() { return token ? { authorization: "Bearer " + token } : {}; }
  function api(path) {
    return fetch(base + path, { headers: headers(), cache: "no-store" }).then(function (r) {
      if (r.status === 401) { askToken(); throw { message: "unauthorized" }; }
      return r.json().then(function (body) { if (!r.ok) throw { message: body && body.error ? body.error.code : String(r.status) }; return body; });
    });
  }
  function askToken() { $("auth").style.display = "flex"; $("conn").textContent = "token needed"; }
  $("tokgo").addEventListener("click", function () { token = $("tok").value.trim(); sessionStorage.setItem("confstack-token", token); $("tok").value = ""; $("auth").style.display = "none"; start(); });
  function show(v) { if (typeof v === "string") return JSON.stringify(v); var s = JSON.stringify(v); return s.length > 300 ? s.slice(0, 300) + "…" : s; }
  function q(v) { return encodeURIComponent(v); }

  // ---- lazy tree -------------------------------------------------------------------------
  function row(child) {
    var wrap = el("div", "node"); wrap.dataset.path = child.path;
    var r = el("div", "row"); r.dataset.path = child.path;
    var box = child.kind === "object" || child.kind === "array";
    r.appendChild(el("span", "tw", box ? "▸" : ""));
    r.appendChild(el("span", "k", child.key));
    if (box) r.appendChild(el("span", "v mute", child.kind === "array" ? "[" + child.size + "]" : "{" + child.size + "}"));
    else r.appendChild(el("span", "v" + (child.kind === "string" ? " s" : ""), show(child.value)));
    if (child.origin) r.appendChild(el("span", "o", child.origin));
    wrap.appendChild(r);
    r.addEventListener("click", function () { if (box) toggle(wrap); select(child.path, r); });
    return wrap;
  }
  function loadChildren(container, path, offset) {
    return api("api/config?path=" + q(path) + "&offset=" + offset + "&limit=200").then(function (b) {
      if (offset === 0) container.textContent = "";
      var more = container.querySelector(":scope > .more"); if (more) more.remove();
      (b.children || []).forEach(function (c) { container.appendChild(row(c)); });
      var next = offset + (b.children || []).length;
      if (next < b.size) {
        var mo = el("div", "more", "show more (" + (b.size - next) + " more)");
        mo.addEventListener("click", function () { loadChildren(container, path, next); });
        container.appendChild(mo);
      }
      $("ver").textContent = "version " + b.version;
    });
  }
  function toggle(wrap) {
    var kids = wrap.querySelector(":scope > .kids"), tw = wrap.querySelector(":scope > .row > .tw");
    if (kids) { kids.remove(); tw.textContent = "▸"; return Promise.resolve(); }
    kids = el("div", "kids"); wrap.appendChild(kids); tw.textContent = "▾";
    return loadChildren(kids, wrap.dataset.path, 0);
  }
  function refreshOpen(container, path) {
    var open = Array.prototype.map.call(container.querySelectorAll(".node"), function (n) { return n.querySelector(":scope > .kids") ? n.dataset.path : null; }).filter(Boolean);
    return loadChildren(container, path, 0).then(function () {
      return open.reduce(function (p, op) {
        return p.then(function () {
          var n = container.querySelector('.node[data-path="' + CSS.escape(op) + '"]');
          if (n && !n.querySelector(":scope > .kids")) return toggle(n);
        }).catch(function () {});
      }, Promise.resolve());
    });
  }
  function reveal(path) {
    // Open each ancestor in turn (the tree is lazy), then select the row.
    return api("api/explain?key=" + q(path)).then(function (b) {
      return b.ancestors.reduce(function (p, anc) {
        return p.then(function () {
          var n = $("tree").querySelector('.node[data-path="' + CSS.escape(anc) + '"]');
          if (n && !n.querySelector(":scope > .kids")) return toggle(n);
        });
      }, Promise.resolve()).then(function () {
        var r = $("tree").querySelector('.row[data-path="' + CSS.escape(b.key) + '"]');
        if (r) r.scrollIntoView({ block: "center" });
        select(b.key, r);
      });
    });
  }

  // ---- layers of a key -------------------------------------------------------------------
  function select(path, r) {
    selected = path;
    Array.prototype.forEach.call(document.querySelectorAll(".row.sel"), function (x) { x.classList.remove("sel"); });
    if (r) r.classList.add("sel");
    $("lkey").textContent = path; $("lkey").className = "";
    return api("api/explain?key=" + q(path)).then(function (b) {
      var box = $("layers"); box.textContent = ""; box.className = "";
      var head = el("div", "", ""); head.appendChild(el("b", "", "value ")); head.appendChild(el("code", "", show(b.value)));
      if (b.origin) head.appendChild(el("span", "mute", "  from " + b.origin.at));
      box.appendChild(head);
      var t = el("table"); t.id = "layer-table"; var h = el("tr"); ["role", "source", "value", "origin"].forEach(function (c) { h.appendChild(el("th", "", c)); }); t.appendChild(h);
      b.layers.forEach(function (l) {
        var tr = el("tr", "layer");
        var rb = el("span", "badge " + (l.role === "winner" ? "b-ok" : l.role === "merged" ? "" : "b-warn"), l.role);
        var td = el("td"); td.appendChild(rb); tr.appendChild(td);
        tr.appendChild(el("td", "", l.source + " (" + l.type + ")"));
        tr.appendChild(el("td", "val", show(l.value)));
        tr.appendChild(el("td", "mute", l.origin ? l.origin.at : ""));
        t.appendChild(tr);
      });
      box.appendChild(t);
      if (b.layers.length === 0) box.appendChild(el("div", "mute", "No source holds a value here."));
    }).catch(function (e) { $("layers").textContent = "error: " + e.message; });
  }

  // ---- search ----------------------------------------------------------------------------
  var searchTimer;
  $("search").addEventListener("input", function () {
    clearTimeout(searchTimer);
    var v = this.value.trim();
    searchTimer = setTimeout(function () {
      var ul = $("results"); ul.textContent = "";
      if (!v) return;
      api("api/search?q=" + q(v) + "&limit=50").then(function (b) {
        b.matches.forEach(function (mt) {
          var li = el("li", "", mt.path); li.dataset.path = mt.path;
          li.addEventListener("click", function () { reveal(mt.path); });
          ul.appendChild(li);
        });
        if (b.total > b.matches.length) ul.appendChild(el("li", "mute", "… " + (b.total - b.matches.length) + " more"));
        if (b.total === 0) ul.appendChild(el("li", "mute", "no key matches"));
      }).catch(function () {});
    }, 150);
  });

  // ---- sources and health ----------------------------------------------------------------
  function ms(n) { return n === undefined || n === null ? "–" : n < 10 ? n.toFixed(2) : n.toFixed(0); }
  function refreshSources() {
    return Promise.all([api("api/sources"), api("api/health")]).then(function (r) {
      var s = r[0], h = r[1];
      var st = $("status");
      if (h.available) { st.textContent = "health " + h.status; st.className = "badge " + (h.status === "healthy" ? "b-ok" : h.status === "degraded" ? "b-warn" : "b-bad"); }
      else { st.textContent = "health n/a"; }
      var t = el("table"); var hr = el("tr");
      ["source", "status", "health", "p50 / p95 / p99 ms", "ops/s", "errors", "last success"].forEach(function (c) { hr.appendChild(el("th", "", c)); });
      t.appendChild(hr);
      s.sources.forEach(function (src) {
        var tr = el("tr", "source"); tr.dataset.name = src.name;
        tr.appendChild(el("td", "", src.name));
        tr.appendChild(el("td", src.status === "skipped" ? "bad" : "", src.status + (src.error ? " (" + src.error.code + ")" : "")));
        var hh = src.health, f = hh && hh.figures;
        tr.appendChild(el("td", hh ? (hh.status === "healthy" ? "ok" : hh.status === "degraded" ? "warn" : "bad") : "mute", hh ? hh.status : "–"));
        tr.appendChild(el("td", "", f && f.latencyMs ? ms(f.latencyMs.p50) + " / " + ms(f.latencyMs.p95) + " / " + ms(f.latencyMs.p99) : "–"));
        tr.appendChild(el("td", "", f ? f.throughputPerSec.toFixed(2) : "–"));
        tr.appendChild(el("td", "", f ? (Object.keys(f.errorsByCode).map(function (c) { return c + " " + f.errorsByCode[c]; }).join(", ") || "0") : "–"));
        tr.appendChild(el("td", "", f && f.sinceLastSuccessMs !== undefined ? Math.round(f.sinceLastSuccessMs / 1000) + " s ago" : "–"));
        t.appendChild(tr);
      });
      $("sources").textContent = ""; $("sources").appendChild(t);
      if (h.available) {
        var v = h.validation.figures, rl = h.reload.figures;
        $("sources").appendChild(el("div", "mute", "validation: " + h.validation.total + " run, " + h.validation.failed + " failed, p95 " + ms(v.latencyMs && v.latencyMs.p95) + " ms · reloads: " + h.reload.applied + " applied, " + h.reload.rejected + " rejected, p95 " + ms(rl.latencyMs && rl.latencyMs.p95) + " ms"));
      }
    }).catch(function () {});
  }

  // ---- reload timeline -------------------------------------------------------------------
  function addEntry(e, live) {
    var none = $("noreload"); if (none) none.remove();
    var box = el("div", "entry " + e.outcome); box.dataset.seq = e.seq;
    var top = el("div");
    top.appendChild(el("span", "badge " + (e.outcome === "applied" ? "b-ok" : "b-bad"), e.outcome));
    top.appendChild(el("span", "mute", " " + new Date(e.at).toLocaleTimeString() + " · version " + e.version + (e.outcome === "applied" ? " · " + e.changedKeyCount + (e.changedKeyCount === 1 ? " key" : " keys") + " changed" : "")));
    box.appendChild(top);
    e.diff.forEach(function (d) { box.appendChild(el("div", "d", d.key + ": " + show(d.before) + " → " + show(d.after))); });
    if (e.changedKeyCount > e.diff.length) box.appendChild(el("div", "mute", "… " + (e.changedKeyCount - e.diff.length) + " more"));
    if (e.error) {
      var cause = e.error.cause && e.error.cause.code ? e.error.cause.code : (e.error.context && e.error.context.cause_code) || e.error.code;
      box.appendChild(el("div", "bad", "rejected: " + cause + " — the last good config stays"));
      (e.error.issues || []).slice(0, 20).forEach(function (i) {
        var o = i.origin; var at = o ? (o.location || o.provider) + (o.line ? ":" + o.line + (o.column ? ":" + o.column : "") : "") : "";
        box.appendChild(el("div", "d issue", (i.path || "(root)") + ": " + i.message + (at ? "  (" + at + ")" : "")));
      });
      var loc = e.error.location;
      if (!e.error.issues && loc) box.appendChild(el("div", "d issue", "at " + (loc.file ? loc.file + (loc.line ? ":" + loc.line + (loc.column ? ":" + loc.column : "") : "") : loc.source || loc.key || "")));
    }
    var tl = $("timeline"); tl.insertBefore(box, tl.firstChild);
    if (++shownEntries > MAX_ENTRIES) { tl.lastChild.remove(); shownEntries--; }
    if (live) box.classList.add("flash");
  }

  // ---- live events -----------------------------------------------------------------------
  var pendingTree = null;
  function onReload(e) {
    addEntry(e, true);
    // A storm of reloads refreshes the tree at most every 300 ms.
    if (!pendingTree) pendingTree = setTimeout(function () {
      pendingTree = null;
      refreshOpen($("tree"), "").then(function () {
        e.changedKeys.forEach(function (k) { var r = $("tree").querySelector('.row[data-path="' + CSS.escape(k) + '"]'); if (r) r.classList.add("flash"); });
        if (selected) select(selected, $("tree").querySelector('.row[data-path="' + CSS.escape(selected) + '"]'));
      }).catch(function () {});
      refreshSources();
    }, 300);
  }
  function handle(block) {
    var ev = "message", data = "";
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event: ") === 0) ev = line.slice(7);
      else if (line.indexOf("data: ") === 0) data += line.slice(6);
    });
    if (!data) return;
    var d = JSON.parse(data);
    if (ev === "hello") {
      $("ver").textContent = "version " + d.version;
      // A reconnect may have missed reloads: resync the timeline and the tree.
      if (connectedOnce) { resyncHistory(); refreshOpen($("tree"), "").catch(function () {}); refreshSources(); }
      connectedOnce = true;
    }
    else if (ev === "reload") onReload(d);
    else if (ev === "rejected") { addEntry(d, true); refreshSources(); }
    else if (ev === "health") refreshSources();
  }
  function connect() {
    fetch(base + "api/events", { headers: headers() }).then(function (r) {
      if (r.status === 401) { askToken(); return; }
      if (!r.ok || !r.body) { $("conn").textContent = "events: " + r.status; setTimeout(connect, 5000); return; }
      $("conn").textContent = "live"; $("conn").className = "badge b-ok";
      var reader = r.body.getReader(), dec = new TextDecoder(), buf = "";
      function pump() {
        return reader.read().then(function (x) {
          if (x.done) throw { message: "closed" };
          buf += dec.decode(x.value, { stream: true });
          var i; while ((i = buf.indexOf("\n\n")) >= 0) { var b = buf.slice(0, i); buf = buf.slice(i + 2); try { handle(b); } catch (e) {} }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      $("conn").textContent = "reconnecting"; $("conn").className = "badge b-warn"; setTimeout(connect, 3000);
    });
  }

  var connectedOnce = false;
  function resyncHistory() {
    return api("api/history").then(function (h) {
      var tl = $("timeline"); tl.textContent = ""; shownEntries = 0;
      if (h.entries.length === 0) { var none = el("div", "mute", "No reloads yet."); none.id = "noreload"; tl.appendChild(none); }
      h.entries.forEach(function (e) { addEntry(e, false); });
    }).catch(function () {});
  }
  function start() {
    loadChildren($("tree"), "", 0).then(function () {
      refreshSources();
      resyncHistory();
      connect();
    }).catch(function () {});
  }
  start();
})();
</script>
</body>
</html>
`;
