// Browser measurements for tests/browser/wechat.rs. Reads a JSON job on stdin, loads each
// site page and its exported 公众号 article (alone, without any stylesheet) in Debian's Chromium
// through playwright-core at 375 px, and prints the computed styles of the text elements of
// both as one JSON report on stdout. It judges nothing: the Rust test compares.
//
// Job: {"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//       "pairs": [{"name": "lessons/a.md qunzhong", "site": "/qunzhong/lessons/a/",
//                  "article": "/wechat/1.html", "timeline": false}]}
import { start } from "./start.mjs";

const { job, origin, browser } = await start("wechat.mjs");

// Runs in the page: the text elements of the article, in document order, with their styles.
// `which` is "site" (the site's own page) or "article" (the exported fragment).
function measure({ which, timeline }) {
  let root;
  let skip = () => false;
  if (which === "site") {
    root = document.querySelector("main article") || document.querySelector("main");
    // What the export leaves out by design: the title heading (the 公众号 shows the title
    // itself), the links to the site's other versions and print views, what is hidden.
    const left = [...root.querySelectorAll(":scope > h1, .other-versions, .print-links, .wechat-hide")];
    skip = (el) =>
      left.some((l) => l.contains(el)) || el.getClientRects().length === 0;
  } else {
    // The wrappers for the page's inherited styles hold one section each; the article's
    // section holds the rest, its references last.
    root = document.body.firstElementChild;
    while (root.children.length === 1 && root.firstElementChild.tagName === "SECTION")
      root = root.firstElementChild;
    const last = root.lastElementChild;
    if (last && last.tagName === "SECTION" && last.firstElementChild &&
        last.firstElementChild.textContent === "参考链接") {
      skip = (el) => last.contains(el);
    }
  }
  let selector = "h1,h2,h3,h4,h5,h6,p,li,th,td,blockquote";
  if (timeline) selector += ",ol,ul,li > strong,li > span";
  const out = [];
  for (const el of root.querySelectorAll(selector)) {
    if (skip(el)) continue;
    const cs = getComputedStyle(el);
    out.push({
      tag: el.tagName.toLowerCase(),
      text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40),
      fontSize: cs.fontSize,
      fontWeight: cs.fontWeight,
      color: cs.color,
      lineHeight: cs.lineHeight,
      marginTop: cs.marginTop,
      marginRight: cs.marginRight,
      marginBottom: cs.marginBottom,
      marginLeft: cs.marginLeft,
    });
  }
  return out;
}

const ctx = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: "zh-CN" });
// The article's pictures point at the real site: nothing leaves this machine.
await ctx.route("**/*", (route) =>
  new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
);
const page = await ctx.newPage();
const report = { chromium: browser.version(), pairs: [] };
try {
  for (const p of job.pairs) {
    const result = { name: p.name };
    for (const which of ["site", "article"]) {
      const resp = await page.goto(job.base + p[which], { waitUntil: "load" });
      result[which + "_status"] = resp ? resp.status() : 0;
      result[which] = await page.evaluate(measure, { which, timeline: !!p.timeline });
    }
    report.pairs.push(result);
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
