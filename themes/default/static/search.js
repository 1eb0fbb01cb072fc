/* qili search: runs the query of the search page's address (?q=…) against the static index
   under search/ that `qili build` writes (src/search/: tokens, shards, chunks and the files
   fetched only when needed are described there). src/search/query.rs is this ranking in Rust;
   tests/search_browser.rs holds the two to the same ranked list. Plain ES2017 for WeChat's XWeb
   on older Android: no modules, no WebAssembly, no Intl.Segmenter. Content is put on the page
   with text nodes only, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var FORMAT = 3;
  var PER_PAGE = 5;
  var MAX_QUERY = 64;
  var KINDS = ["lesson", "notice", "regulation", "article", "village"];
  var LABELS = { lesson: "课程", notice: "村务公开", regulation: "村规民约", article: "村规民约", village: "村（社区）" };
  // Ranking (query.rs has the same numbers). A token weighs its idf times where the entry has
  // it: the best field outside the body (none, summary, tags, title) plus the body's count.
  var FIELD = [0, 1.5, 2, 2.5];
  var BODY = [0, 1, 1.3, 1.6, 1.9, 2.1, 2.3, 2.5];
  // Kind is a small prior, not a sort key.
  var PRIOR = [1.1, 1, 1.05, 1, 1.05];
  // An entry is shown when it has this share of a word's rare-weighted tokens.
  var MIN_SHARE = 0.5;
  var SYNONYM = 0.9, CHAIN = 0.5, EXACT = 2;
  // A slip is mended in a piece of at most this many characters.
  var MEND = 4;
  // Question and filler words: they weigh nothing (src/search/query.rs FILLERS; tested equal).
  var FILLERS = ("怎么办 怎么样 怎么 怎样 咋办 咋整 咋弄 咋样 咋 啥 什么 为什么 为啥 如何 那么 这么 能不能 " +
    "可不可以 可以 是不是 要不要 行不行 有没有 算不算 会不会 该不该 哪里 哪儿 哪些 哪个 哪 多少 多久 请问 " +
    "我们 咱们 你们 他们 她们 应该 一下 的话 吗 呢 吧 啊 呀 嘛 了 的 着 我 你 他 她 它 谁 就 都 还 也 又 才 在").split(" ");
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
  function pairs(chars) {
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }
  function queryTokens(query) {
    var out = [];
    function push(t) { if (out.indexOf(t) < 0) out.push(t); }
    runs(query).forEach(function (r) {
      if (r.kind === "w") push(r.chars.join(""));
      else if (r.chars.length === 1) push(r.chars[0]);
      else pairs(r.chars).forEach(push);
    });
    return out;
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

  // ---- The query as words, parts and variants (query.rs `plan`). ----
  // Words are what the reader separated by spaces (alternatives); within a word, filler words
  // and marks cut pieces; a piece is parts, a part has variants (its synonyms).
  function plan(query, x, df) {
    var words = [], word = null, cur = null, changed = [], trad = false;
    var folded = "";
    for (var ch of query) {
      var f = fold(ch), k = QUOTES.indexOf(ch) >= 0 ? "q" : classOf(f);
      if (k === "c" && x.py && x.py.t.has(f)) {
        f = x.py.t.get(f);
        trad = true;
      }
      if (k !== "q") folded += f;
      if (k === "q") continue;
      if (" \t\n\r\f\v".indexOf(f) >= 0) { word = cur = null; continue; }
      if (!word) words.push(word = []);
      if (k === "s") { cur = null; continue; }
      if (!cur || cur.kind !== k) word.push(cur = { kind: k, text: "" });
      cur.text += f;
    }
    var need = { syn: false, py: false, yin: false };
    // Pinyin: a run of words of letters only, read as a term of the site.
    if (x.py) {
      for (var i = 0; i < words.length; i++) {
        var j = i, letters = "";
        while (j < words.length && words[j].length === 1 && /^[a-z]+$/.test(words[j][0].text)) letters += words[j++][0].text;
        if (j > i && letters.length >= 2) {
          var term = pinyinTerm(x.py, letters);
          if (term) {
            changed.push([words.slice(i, j).map(function (w) { return w[0].text; }).join(" "), term]);
            words.splice(i, j - i, [{ kind: "c", text: term }]);
          }
        }
      }
    }
    var out = words.map(function (w) {
      var parts = [];
      w.forEach(function (r) {
        if (r.kind === "w") {
          if (/^[a-z]{2,}$/.test(r.text) && w.length === 1) need.py = true;
          return parts.push({ latin: true, variants: [r.text] });
        }
        unfilled(Array.from(r.text)).forEach(function (piece) {
          synonymParts(piece, x.syn).forEach(function (p) { parts.push(p); });
        });
      });
      for (var c of folded) if (data.syn && data.syn.indexOf(c) >= 0) need.syn = true;
      var long = parts.some(function (p) { return p.latin || Array.from(p.variants[0]).length > 1; });
      parts = parts.filter(function (p) { return !long || p.latin || Array.from(p.variants[0]).length > 1; });
      parts.forEach(function (p) {
        if (p.latin || p.variants.length > 1) return;
        var toks = pairs(Array.from(p.variants[0]));
        if (!toks.some(function (t, i) { return df(t) === 0 && counted(toks, i); })) return;
        need.py = true;
        if (toks.length >= MEND) return;
        need.yin = true;
        var fixed = x.yin && correct(x.py, p.variants[0], df);
        if (fixed) {
          changed.push([p.variants[0], fixed]);
          p.variants = [fixed];
        }
      });
      return parts;
    });
    changed.forEach(function (c) { folded = folded.replace(c[0], c[1]); });
    return { words: out, need: need, shown: folded, changed: changed.length > 0 || trad };
  }
  // A piece of Chinese without its filler words, as the pieces between them.
  function unfilled(chars) {
    var out = [], cur = "";
    for (var i = 0; i < chars.length;) {
      var hit = 0;
      for (var f = 0; f < FILLERS.length && !hit; f++) {
        if (chars.slice(i, i + FILLERS[f].length).join("") === FILLERS[f]) hit = FILLERS[f].length;
      }
      if (hit) {
        if (cur) out.push(cur);
        cur = "";
        i += hit;
      } else cur += chars[i++];
    }
    if (cur) out.push(cur);
    return out;
  }
  // A piece as parts: the longest synonym at each place (a one-character one only alone).
  function synonymParts(piece, syn) {
    var chars = Array.from(piece), out = [], plain = "";
    for (var i = 0; i < chars.length;) {
      var found = null;
      for (var n = chars.length - i; syn && !found && n >= 1; n--) {
        var w = chars.slice(i, i + n).join("");
        if ((n > 1 || chars.length === 1) && syn.has(w)) found = w;
      }
      if (found) {
        if (plain) out.push({ variants: [plain] });
        plain = "";
        out.push({ variants: [found].concat(syn.get(found)) });
        i += Array.from(found).length;
      } else plain += chars[i++];
    }
    if (plain) out.push({ variants: [plain] });
    return out;
  }

  // ---- Pinyin and slips of input (py.txt). ----
  function readPy(text, py) {
    py = py || { t: new Map(), r: new Map(), terms: [] };
    text.split("\n").slice(1).forEach(function (line) {
      var sp = line.split(" ");
      if (sp[0] === "t") {
        var cs = Array.from(sp[1] || "");
        for (var i = 0; i + 1 < cs.length; i += 2) py.t.set(cs[i], cs[i + 1]);
      } else if (sp[0] === "p") {
        for (var c of sp[2] || "") {
          if (!py.r.has(c)) py.r.set(c, []);
          py.r.get(c).push(sp[1]);
        }
      } else if (sp[0] === "w") py.terms = sp.slice(1).filter(Boolean).map(function (t) { return Array.from(t); });
    });
    return py;
  }
  // The site's term (whole first, else a part of one) that `letters` spell.
  function pinyinTerm(py, letters) {
    function spells(chars, at, k) {
      if (k === chars.length) return at === letters.length;
      return (py.r.get(chars[k]) || []).some(function (r) {
        return letters.startsWith(r, at) && spells(chars, at + r.length, k + 1);
      });
    }
    for (var t of py.terms) if (spells(t, 0, 0)) return t.join("");
    for (t of py.terms) {
      for (var n = t.length - 1; n >= 2; n--) {
        for (var a = 0; a + n <= t.length; a++) if (spells(t.slice(a, a + n), 0, 0)) return t.slice(a, a + n).join("");
      }
    }
    return null;
  }
  // Readings close enough for a slip: zh/ch/sh/z/c/s, n/l, -ang/-an, -eng/-en, -ing/-in.
  function loose(r) {
    return r.replace(/^(zh|ch|sh|z|c|s)/, "Z").replace(/^n/, "l").replace(/(a|e|i)ng$/, "$1n");
  }
  // How `a` sounds like `b`: 2 the same character, 1 a reading in common, 0 a loose one, -1 not.
  function sound(py, a, b) {
    if (a === b) return 2;
    var ra = py.r.get(a) || [], rb = py.r.get(b) || [];
    if (ra.some(function (r) { return rb.indexOf(r) >= 0; })) return 1;
    var la = ra.map(loose);
    return rb.some(function (r) { return la.indexOf(loose(r)) >= 0; }) ? 0 : -1;
  }
  // `text` with a slip mended: the longest stretch over a pair no entry has that sounds like a
  // stretch of a term (one character at least the same, at most one loose reading).
  function correct(py, text, df) {
    var chars = Array.from(text);
    for (var n = Math.min(chars.length, 4); n >= 2; n--) {
      for (var a = 0; a + n <= chars.length; a++) {
        var bad = false;
        for (var i = a; i + 1 < a + n; i++) if (df(chars[i] + chars[i + 1]) === 0) bad = true;
        if (!bad) continue;
        for (var t of py.terms) {
          for (var b = 0; b + n <= t.length; b++) {
            var same = 0, looseN = 0, ok = true;
            for (var k = 0; k < n && ok; k++) {
              var s = sound(py, chars[a + k], t[b + k]);
              if (s < 0) ok = false;
              else if (s === 2) same++;
              else if (s === 0) looseN++;
            }
            if (ok && same > 0 && same < n && looseN <= 1) {
              return chars.slice(0, a).concat(t.slice(b, b + n), chars.slice(a + n)).join("");
            }
          }
        }
      }
    }
    return null;
  }

  // For tests/search_browser.rs, which holds these to src/search/ on the same strings.
  window.qiliSearch = { queryTokens: queryTokens, fnv1a32: fnv1a32, fillers: FILLERS };

  // ---- The page. ----
  var data = JSON.parse(box.getAttribute("data-index") || "null");
  var dir = box.getAttribute("data-dir");
  var home = box.getAttribute("data-home");
  var root = box.getAttribute("data-root");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var help = document.getElementById("search-help");
  var input = document.getElementById("q");
  var raw = Array.from((new URLSearchParams(location.search).get("q") || "").trim());
  var query = raw.slice(0, MAX_QUERY).join("");
  box.hidden = false;
  if (input) input.value = query;
  if (!data || data.format !== FORMAT) return say("搜索暂时用不了：网站的搜索数据不完整。");
  if (!query) return;
  document.title = "搜索：" + query + "｜" + document.title.replace(/^.*｜/, "");
  var lessons = data.lessons || "";
  var bounds = [], sum = 0;
  data.kinds.forEach(function (n) { bounds.push(sum += n); });
  var total = sum, chunkEnds = [];
  sum = 0;
  // Each chunk holds data.per[k] entries of kind k (the last of a kind fewer): src/search/.
  data.kinds.forEach(function (n, k) {
    for (var start = 0; start < n; start += data.per[k]) chunkEnds.push(sum += Math.min(data.per[k], n - start));
  });

  function kindOf(e) {
    for (var i = 0; i < bounds.length; i++) if (e < bounds[i]) return i;
    return 4;
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
  var fetched = new Map();
  async function fetchIndexed(path) {
    if (!fetched.has(path)) fetched.set(path, fetchText(path));
    var text = await fetched.get(path);
    if (text.slice(0, text.indexOf("\n")) !== "qili-search " + FORMAT + " " + data.version) throw stale();
    return text;
  }

  var found = new Map();
  async function lookup(tokens) {
    var wanted = new Map();
    tokens.forEach(function (t) {
      if (found.has(t)) return;
      var s = fnv1a32(t) % data.shards;
      if (!wanted.has(s)) wanted.set(s, []);
      wanted.get(s).push(t);
    });
    await Promise.all(Array.from(wanted.keys()).map(async function (s) {
      var lines = (await fetchIndexed("s/" + s + ".txt")).split("\n"), need = wanted.get(s);
      need.forEach(function (t) { found.set(t, new Map()); });
      for (var i = 1; i < lines.length; i++) {
        var t = lines[i].slice(0, lines[i].indexOf(" "));
        if (need.indexOf(t) >= 0) found.set(t, postings(lines[i]));
      }
    }));
  }
  function df(t) {
    return found.has(t) ? found.get(t).size : -1;
  }
  function tokensOf(p) {
    if (p.latin) return p.variants.map(function (v) { return [v]; });
    return p.variants.map(function (v) {
      var cs = Array.from(v);
      return cs.length === 1 ? cs : pairs(cs);
    });
  }
  // Every token of the plan, in order.
  function allTokens(pl) {
    var out = [];
    pl.words.forEach(function (w) {
      w.forEach(function (p) { tokensOf(p).forEach(function (ts) { out = out.concat(ts); }); });
    });
    return out;
  }

  function idf(t) {
    var n = found.get(t).size;
    return Math.round(Math.log(1 + (total - n + 0.5) / (n + 0.5)) * 1e6) / 1e6;
  }
  // Whether a token counts: a pair no entry has weighs nothing when a neighbour is known and
  // none unknown (it straddles two words: 嫁出去了 → 去了).
  function counted(ts, i) {
    if (ts.length < 2 || df(ts[i]) !== 0) return true;
    var l = i > 0 ? df(ts[i - 1]) : -1, r = i + 1 < ts.length ? df(ts[i + 1]) : -1;
    return !((l > 0 || r > 0) && l !== 0 && r !== 0);
  }

  // Entries above the share, best first: {e, kind, matched, score}.
  function rank(pl) {
    var slots = [], acc = new Map();
    pl.words.forEach(function (w, wi) {
      w.forEach(function (p, pi) {
        tokensOf(p).forEach(function (ts, vi) {
          var ok = ts.map(function (t, i) { return counted(ts, i); });
          var raw = ts.map(function (t, i) { return ok[i] ? idf(t) : 0; });
          // A pair rarer than both its neighbours mostly straddles two words (约审 in 村规民约审查):
          // it weighs at most as the rarer neighbour.
          var weights = raw.map(function (w, i) {
            var l = i > 0 ? raw[i - 1] : 0, r = i + 1 < raw.length ? raw[i + 1] : 0;
            return l && r ? Math.min(w, Math.max(l, r)) : w;
          });
          var slot = slots.length, a = 0;
          weights.forEach(function (x) { a += x; });
          slots.push({ w: wi, p: pi, v: vi, a: a });
          ts.forEach(function (t, i) {
            if (!ok[i]) return;
            found.get(t).forEach(function (f, e) {
              if (!own(e)) return;
              if (!acc.has(e)) acc.set(e, []);
              var r = acc.get(e);
              if (!r[slot]) r[slot] = [0, 0];
              r[slot][0] += weights[i];
              r[slot][1] += weights[i] * (FIELD[f & 3] + BODY[f >> 2]);
            });
          });
          // Neighbouring pairs both there: the words as typed, likely.
          for (var i = 0; i + 1 < ts.length; i++) {
            if (!ok[i] || !ok[i + 1]) continue;
            var m1 = found.get(ts[i]), m2 = found.get(ts[i + 1]);
            m1.forEach(function (f, e) {
              if (!own(e) || !m2.has(e)) return;
              var g = m2.get(e);
              acc.get(e)[slot][1] += CHAIN * Math.min(weights[i] * (FIELD[f & 3] + BODY[f >> 2]), weights[i + 1] * (FIELD[g & 3] + BODY[g >> 2]));
            });
          }
        });
      });
    });
    var out = [];
    acc.forEach(function (r, e) {
      var matched = 0, score = 0;
      pl.words.forEach(function (w, wi) {
        var num = 0, den = 0;
        w.forEach(function (p, pi) {
          var weight = 0, cov = 0, best = 0;
          slots.forEach(function (s, k) {
            if (s.w !== wi || s.p !== pi) return;
            if (s.v === 0 || weight === 0) weight = Math.max(weight, s.a);
            var got = r[k] || [0, 0];
            if (s.a > 0) cov = Math.max(cov, got[0] / s.a);
            best = Math.max(best, got[1] * (s.v ? SYNONYM : 1));
          });
          num += weight * cov;
          den += weight;
          score += best;
        });
        if (den > 0 && num / den >= MIN_SHARE) matched++;
      });
      if (matched) out.push({ e: e, kind: kindOf(e), matched: matched, score: score * PRIOR[kindOf(e)] });
    });
    out.sort(compare);
    return out;
  }
  function compare(a, b) {
    return (b.matched - a.matched) || (b.score - a.score) || (a.e - b.e);
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

  // The words as typed, each part in one of its variants: such an entry counts more.
  function verify(r, pl) {
    var hay = [r.title, r.meta, r.summary, r.text].map(function (t) { return normalize(t).text; }).join("\n");
    var exact = pl.words.every(function (w) {
      return w.every(function (p) {
        return p.variants.some(function (v) { return hay.indexOf(v) >= 0; });
      });
    });
    if (exact) r.score *= EXACT;
  }

  // Text with every match of `marks` (folded) in <mark>, as DOM nodes in `into`.
  function marked(into, text, marks) {
    var n = normalize(text), spans = [];
    marks.forEach(function (m) {
      for (var i = n.text.indexOf(m); m && i >= 0; i = n.text.indexOf(m, i + m.length)) {
        spans.push([n.at[i], n.at[i + m.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
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
    var li = document.createElement("li"), kind = KINDS[r.kind];
    li.className = "result result-" + kind;
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = (r.kind === 0 ? home : root) + r.url;
    marked(a, r.title, marks);
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    marked(meta, LABELS[kind] + (r.meta ? " · " + r.meta : ""), marks);
    li.appendChild(meta);
    if (r.summary && kind !== "article") {
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
  function link(into, q) {
    var a = document.createElement("a");
    a.href = "?q=" + encodeURIComponent(q);
    a.textContent = q;
    into.appendChild(a);
  }

  // What the query needs fetched (synonyms, pinyin, shards), until nothing more.
  var x = { syn: null, py: null, yin: false };
  async function settle() {
    for (;;) {
      var pl = plan(query, x, df);
      if (pl.need.syn && !x.syn) {
        var syn = new Map();
        (await fetchIndexed("syn.txt")).split("\n").slice(1).forEach(function (line) {
          var ws = line.split(" ").filter(Boolean);
          ws.slice(1).forEach(function (w) { syn.set(w, [ws[0]]); });
        });
        x.syn = syn;
      } else if (pl.need.py && !x.py) {
        x.py = readPy(await fetchIndexed("py.txt"));
      } else if (pl.need.yin && !x.yin) {
        readPy(await fetchIndexed("yin.txt"), x.py);
        x.yin = true;
      } else {
        var ts = allTokens(pl).filter(function (t) { return !found.has(t); });
        if (!ts.length) return pl;
        await lookup(ts);
      }
    }
  }
  // Terms of the site near a query that found nothing: most characters in common first.
  function suggestions(pl) {
    var chars = [];
    pl.words.forEach(function (w) { w.forEach(function (p) { chars = chars.concat(Array.from(p.variants[0])); }); });
    var scored = x.py.terms.map(function (t, i) {
      var n = 0;
      t.forEach(function (c) { if (chars.indexOf(c) >= 0) n++; });
      return { t: t.join(""), n: n, i: i };
    });
    scored.sort(function (a, b) { return (b.n - a.n) || (a.i - b.i); });
    return scored.filter(function (s) { return s.t !== query; }).slice(0, 3).map(function (s) { return s.t; });
  }

  async function run() {
    if (!queryTokens(query).length) return say("请输入要找的字词，例如：宅基地。");
    say("正在搜索…");
    var pl = await settle(), results = rank(pl), shown = 0;
    var cut = raw.length > MAX_QUERY ? "只搜索了前 " + MAX_QUERY + " 个字。" : "";
    var mean = pl.changed ? "您要找的是不是：" + pl.shown + "？下面按它搜索。" : "";
    if (!results.length) {
      if (!x.py) x.py = readPy(await fetchIndexed("py.txt"));
      say(cut + "没有找到和「" + query + "」有关的内容。");
      if (help) {
        var where = document.getElementById("search-suggest");
        suggestions(pl).forEach(function (s, i) {
          if (i) where.appendChild(document.createTextNode("、"));
          link(where, s);
        });
        help.hidden = false;
      }
      return;
    }
    var marks = [];
    pl.words.forEach(function (w) {
      w.forEach(function (p) {
        tokensOf(p).forEach(function (ts, vi) { marks.push(p.variants[vi]); marks = marks.concat(ts.filter(function (t) { return t.length > 1 || ts.length === 1; })); });
      });
    });
    async function page() {
      var batch = results.slice(shown, shown + PER_PAGE);
      await load(batch);
      batch.forEach(function (r) { verify(r, pl); });
      batch.sort(compare);
      batch.forEach(function (r) { show(r, marks); });
      shown += batch.length;
      more.hidden = shown >= results.length;
    }
    await page();
    var hidden = document.querySelector(".search-index");
    if (hidden) hidden.hidden = true;
    say(cut + mean + "找到 " + results.length + " 条结果：");
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
