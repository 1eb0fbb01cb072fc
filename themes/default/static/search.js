/* qili search: runs the query of the search page's address (?q=…) against the static index
   under search/ that `qili build` writes (src/search/: tokens, shards and chunks are described
   there). Plain ES2017 for WeChat's XWeb on older Android: no modules, no WebAssembly, no
   Intl.Segmenter. Content is put on the page with text nodes only, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var FORMAT = 2;
  var PER_PAGE = 5;
  var MAX_QUERY = 64;
  var KINDS = ["lesson", "notice", "regulation", "article", "village"];
  var LABELS = { lesson: "课程", notice: "村务公开", regulation: "村规民约", article: "村规民约", village: "村（社区）" };
  // Results are ordered by, in turn: the query word for word before scattered characters (once
  // the text is loaded); where it is (title, summary, body); the kind (a lesson before a
  // village, a regulation, a 条, a notice); then how much of the entry is about it.
  var KIND_RANK = { lesson: 4, village: 3, regulation: 2, article: 1, notice: 0 };
  var LAST = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~()";

  // ---- Tokens: the same rules as src/search/tokens.rs. ----
  var QUOTES = "《》〈〉「」『』“”‘’\"'";
  var alnum;
  try {
    alnum = new RegExp("^[\\p{Alphabetic}\\p{N}]$", "u");
  } catch (e) {
    alnum = { test: function (c) { return /^[0-9a-z]$/i.test(c) || c.toLowerCase() !== c.toUpperCase(); } };
  }
  function isCjk(cp) {
    return cp === 0x3007 || (cp >= 0x3041 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3fffd);
  }
  function fold(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCharCode(cp - 0xfee0);
    else if (cp === 0x3000) ch = " ";
    var lower = ch.toLowerCase();
    return String.fromCodePoint(lower.codePointAt(0));
  }
  // Classes: "c" Chinese, "w" letter or digit, "q" left out, "s" separator.
  function classOf(ch) {
    if (QUOTES.indexOf(ch) >= 0) return "q";
    if (isCjk(ch.codePointAt(0))) return "c";
    return alnum.test(ch) ? "w" : "s";
  }
  // The folded text without quotes, and where each of its UTF-16 units was in the original.
  function normalize(text) {
    var out = "", at = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i));
      if (classOf(ch) !== "q") {
        var f = fold(ch);
        out += f;
        for (var k = 0; k < f.length; k++) at.push(i);
      }
      i += ch.length;
    }
    at.push(text.length);
    return { text: out, at: at };
  }
  // Runs of Chinese ("c") and of letters and digits ("w"), as the index cut them.
  function runs(text) {
    var out = [], cur = null;
    for (var ch of normalize(text).text) {
      var k = classOf(ch);
      if (k === "c" || k === "w") {
        if (!cur || cur.kind !== k) out.push(cur = { kind: k, chars: [] });
        cur.chars.push(ch);
      } else {
        cur = null;
      }
    }
    return out;
  }
  function queryTokens(query) {
    var out = [];
    function push(t) { if (out.indexOf(t) < 0) out.push(t); }
    runs(query).forEach(function (r) {
      if (r.kind === "w") push(r.chars.join(""));
      else if (r.chars.length === 1) push(r.chars[0]);
      else for (var i = 0; i + 1 < r.chars.length; i++) push(r.chars[i] + r.chars[i + 1]);
    });
    return out;
  }
  // The pieces of the query to find word for word: Chinese, letters and digits together.
  function phrases(query) {
    var out = [], cur = "";
    for (var ch of normalize(query).text) {
      if (classOf(ch) === "s") { if (cur) out.push(cur); cur = ""; } else cur += ch;
    }
    if (cur) out.push(cur);
    return out.filter(function (p, i) { return out.indexOf(p) === i; });
  }

  // ---- Shards: src/search/shard.rs. ----
  function fnv1a32(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  function numbers(s) {
    var out = [], n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i), m = MORE.indexOf(c);
      if (m >= 0) n = n * 32 + m;
      else { out.push(n * 32 + LAST.indexOf(c)); n = 0; }
    }
    return out;
  }
  // Entry number → flags, for one token's line.
  function postings(line) {
    var parts = line.split(" "), gaps = numbers(parts[1]), map = new Map(), next = 0;
    for (var i = 0; i < gaps.length; i++) {
      var e = next + gaps[i];
      map.set(e, LAST.indexOf(parts[2].charAt(i)));
      next = e + 1;
    }
    return map;
  }

  // ---- Ranking. ----
  function weight(f) {
    return (f & 4 ? 8 : 0) + (f & 2 ? 3 : 0) + (f & 1 ? 1 + 0.5 * (f >> 3) : 0);
  }
  // 3 title, 2 summary, 1 body.
  function field(f) {
    return f & 4 ? 3 : f & 2 ? 2 : f & 1 ? 1 : 0;
  }
  function compare(a, b) {
    return (b.exact - a.exact) || (b.field - a.field) || (KIND_RANK[b.kind] - KIND_RANK[a.kind]) ||
      (b.score - a.score) || (a.e - b.e);
  }

  // For tests/search_browser.rs, which holds these to src/search/ on the same strings.
  window.qiliSearch = { queryTokens: queryTokens, phrases: phrases, fnv1a32: fnv1a32 };

  // ---- The page. ----
  var data = JSON.parse(box.getAttribute("data-index") || "null");
  var dir = box.getAttribute("data-dir");
  var home = box.getAttribute("data-home");
  var root = box.getAttribute("data-root");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var input = document.getElementById("q");
  var query = (new URLSearchParams(location.search).get("q") || "").trim().slice(0, MAX_QUERY);
  box.hidden = false;
  if (input) input.value = query;
  if (!data || data.format !== FORMAT) return say("搜索暂时用不了：网站的搜索数据不完整。");
  if (!query) return;
  document.title = "搜索：" + query + "｜" + document.title.replace(/^.*｜/, "");
  var lessons = data.lessons || "";
  var bounds = [], sum = 0;
  data.kinds.forEach(function (n) { bounds.push(sum += n); });
  var chunkEnds = [];
  sum = 0;
  // Each chunk holds data.per[k] entries of kind k (the last of a kind fewer): src/search/.
  data.kinds.forEach(function (n, k) {
    for (var start = 0; start < n; start += data.per[k]) chunkEnds.push(sum += Math.min(data.per[k], n - start));
  });

  function kindOf(e) {
    for (var i = 0; i < bounds.length; i++) if (e < bounds[i]) return KINDS[i];
    return "village";
  }
  // Lessons come in several wordings: only this audience's count.
  function own(e) {
    if (e >= data.kinds[0]) return true;
    var c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(lessons.charAt(Math.floor(e / 6)));
    return c >= 0 && (c >> (5 - e % 6)) & 1;
  }
  function say(text) {
    status.textContent = text;
  }
  function fetchText(path) {
    return fetch(dir + path + "?v=" + (data.fresh || data.version)).then(function (r) {
      if (!r.ok) throw new Error(path + " " + r.status);
      return r.text();
    });
  }
  function stale() {
    return new Error("stale");
  }

  async function lookup(tokens) {
    var wanted = new Map();
    tokens.forEach(function (t) {
      var s = fnv1a32(t) % data.shards;
      if (!wanted.has(s)) wanted.set(s, []);
      wanted.get(s).push(t);
    });
    var found = new Map();
    await Promise.all(Array.from(wanted.keys()).map(async function (s) {
      var text = await fetchText("s/" + s + ".txt");
      var lines = text.split("\n");
      if (lines[0] !== "qili-search " + FORMAT + " " + data.version) throw stale();
      var need = wanted.get(s);
      for (var i = 1; i < lines.length; i++) {
        var t = lines[i].slice(0, lines[i].indexOf(" "));
        if (need.indexOf(t) >= 0) found.set(t, postings(lines[i]));
      }
    }));
    return tokens.map(function (t) { return found.get(t) || new Map(); });
  }

  // Entries with every token (or, when none has them all, with at least half), best first.
  function rank(lists) {
    var scores = new Map(), hits = new Map(), fields = new Map();
    lists.forEach(function (map) {
      map.forEach(function (f, e) {
        if (!own(e)) return;
        scores.set(e, (scores.get(e) || 0) + weight(f));
        hits.set(e, (hits.get(e) || 0) + 1);
        // Where the whole query is: the weakest of its tokens' places.
        fields.set(e, Math.min(fields.has(e) ? fields.get(e) : 3, field(f)));
      });
    });
    var all = Array.from(hits.keys()), need = lists.length;
    var full = all.filter(function (e) { return hits.get(e) === need; });
    var partial = !full.length;
    var chosen = partial ? all.filter(function (e) { return hits.get(e) * 2 >= need; }) : full;
    var out = chosen.map(function (e) {
      return { e: e, kind: kindOf(e), exact: 0, field: fields.get(e), score: scores.get(e) * hits.get(e) / need };
    });
    out.sort(compare);
    return { results: out, partial: partial };
  }

  var chunks = new Map();
  function chunkOf(e) {
    var lo = 0, hi = chunkEnds.length - 1;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (chunkEnds[mid] > e) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
  async function load(results) {
    var needed = [];
    results.forEach(function (r) {
      var c = chunkOf(r.e);
      if (!chunks.has(c) && needed.indexOf(c) < 0) needed.push(c);
    });
    await Promise.all(needed.map(async function (c) {
      var j = JSON.parse(await fetchText("c/" + c + ".json"));
      if (j.format !== FORMAT || j.version !== data.version) throw stale();
      chunks.set(c, j.entries);
    }));
    results.forEach(function (r) {
      var c = chunkOf(r.e), first = c ? chunkEnds[c - 1] : 0;
      var row = chunks.get(c)[r.e - first];
      r.title = row[0]; r.meta = row[1]; r.summary = row[2]; r.url = row[3]; r.text = row[4];
    });
  }

  // Whether the entry has each piece of the query word for word, and where.
  function verify(r, pieces) {
    var t = normalize(r.title).text, s = normalize(r.summary + " " + r.meta).text;
    var b = normalize(r.text).text, where = 3;
    pieces.forEach(function (p) {
      if (t.indexOf(p) >= 0) r.score += 10 * p.length / Math.max(t.length, 1);
      else if (s.indexOf(p) >= 0) where = Math.min(where, 2);
      else if (b.indexOf(p) >= 0) where = Math.min(where, 1);
      else where = 0;
    });
    r.exact = where > 0 ? 1 : 0;
    if (r.exact) r.field = where;
  }

  // Text with every match of `marks` (folded) in <mark>, as DOM nodes in `into`.
  function marked(into, text, marks) {
    var n = normalize(text), spans = [];
    marks.forEach(function (m) {
      for (var i = n.text.indexOf(m); m && i >= 0; i = n.text.indexOf(m, i + m.length)) {
        spans.push([n.at[i], n.at[i + m.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) return;
      into.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(s[0], s[1]);
      into.appendChild(mk);
      pos = s[1];
    });
    into.appendChild(document.createTextNode(text.slice(pos)));
  }
  // About 80 characters of the text around its first match.
  function snippet(text, marks) {
    var n = normalize(text), first = -1;
    marks.forEach(function (m) {
      var i = m ? n.text.indexOf(m) : -1;
      if (i >= 0 && (first < 0 || i < first)) first = i;
    });
    var start = first < 0 ? 0 : Math.max(0, n.at[first] - 30);
    var end = Math.min(text.length, start + 90);
    var piece = text.slice(start, end).replace(/\s+/g, " ").trim();
    return (start > 0 ? "…" : "") + piece + (end < text.length ? "…" : "");
  }

  function show(r, marks) {
    var li = document.createElement("li");
    li.className = "result result-" + r.kind;
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = (r.kind === "lesson" ? home : root) + r.url;
    marked(a, r.title, marks);
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    marked(meta, LABELS[r.kind] + (r.meta ? " · " + r.meta : ""), marks);
    li.appendChild(meta);
    if (r.summary && r.kind !== "article") {
      var sum = document.createElement("p");
      sum.className = "result-summary";
      marked(sum, r.summary, marks);
      li.appendChild(sum);
    }
    if (r.text) {
      var p = document.createElement("p");
      p.className = "snippet";
      marked(p, snippet(r.text, marks), marks);
      li.appendChild(p);
    }
    list.appendChild(li);
  }

  async function run() {
    var tokens = queryTokens(query);
    if (!tokens.length) return say("请输入要找的字词，例如：宅基地。");
    say("正在搜索…");
    var ranked = rank(await lookup(tokens));
    var results = ranked.results, pieces = phrases(query), shown = 0;
    if (!results.length) {
      return say("没有找到和「" + query + "」有关的内容。可以换个说法，或者少写几个字再试。");
    }
    async function page() {
      var batch = results.slice(shown, shown + PER_PAGE);
      await load(batch);
      batch.forEach(function (r) { verify(r, pieces); });
      batch.sort(compare);
      var marks = pieces.concat(batch.every(function (r) { return r.exact; }) ? [] : tokens);
      batch.forEach(function (r) { show(r, marks); });
      shown += batch.length;
      more.hidden = shown >= results.length;
    }
    await page();
    var hidden = document.querySelector(".search-index");
    if (hidden) hidden.hidden = true;
    say((ranked.partial ? "没有完全符合「" + query + "」的内容，下面是部分符合的 " : "找到 ") +
      results.length + " 条结果" + (ranked.partial ? "。" : "："));
    more.onclick = function () {
      more.disabled = true;
      page().catch(failed).then(function () { more.disabled = false; });
    };
  }
  function failed(e) {
    say(e && e.message === "stale"
      ? "网站刚刚更新过，请刷新这个页面再搜索。"
      : "搜索没有成功：可能是网络不好，请稍后再试。");
  }
  run().catch(failed);
})();
