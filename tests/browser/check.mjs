// Browser checks for tests/browser/pages.rs. Reads a JSON job on stdin, drives Debian's Chromium through
// playwright-core at phone size with a WeChat Android user agent, and prints one JSON report on
// stdout. It judges nothing itself beyond measuring: the Rust tests decide what fails.
//
// Job: {"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//       "pages": [{"kind": "lesson", "path": "/qunzhong/lessons/x/"},
//                 {"kind": "poster", "path": "/…/poster/", "print": true}],  // print views
//       "dazi": {"first": "/a/", "second": "/b/"},   // pages for the 大字 switch check
//       "shots": "/tmp/dir"}                          // optional: save screenshots there
import { phoneContext, start } from "./start.mjs";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");


const { job, origin, browser } = await start("check.mjs");

// Print views (posters) are opened on the village office's computer, to print: `desktop`.
function newContext(javaScriptEnabled = true, desktop = false) {
  return phoneContext(browser, origin, { javaScriptEnabled, desktop });
}

// Runs in the page: overflow, type size, line height and tap targets.
function measure() {
  const de = document.documentElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      s += "." + el.className.trim().split(/\s+/).join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ");
    return text ? `${s} 「${text.slice(0, 24)}」` : s;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== "hidden" && cs.opacity !== "0";
  };
  const out = {
    scrollWidth: Math.max(de.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
    clientWidth: de.clientWidth,
    wide: [],
    small_text: [],
    tight_lines: [],
    taps: [],
    main_font_px: 0,
  };
  const limit = Math.min(out.innerWidth, out.clientWidth);
  if (out.scrollWidth > limit) {
    for (const el of document.body.querySelectorAll("*")) {
      if (el.getBoundingClientRect().right > limit + 0.5 && out.wide.length < 8)
        out.wide.push(`${describe(el)} right=${Math.round(el.getBoundingClientRect().right)}`);
    }
  }
  const firstP = document.querySelector("main p");
  if (firstP) out.main_font_px = parseFloat(getComputedStyle(firstP).fontSize);

  // Text: every visible element with text of its own. Headings may be set tighter.
  const qunzhong = document.body.classList.contains("aud-qunzhong");
  for (const el of document.body.querySelectorAll("*")) {
    if (/^(SCRIPT|STYLE|TEMPLATE)$/.test(el.tagName)) continue;
    const own = [...el.childNodes].some(
      (n) => n.nodeType === 3 && n.textContent.trim() !== "",
    );
    if (!own || !visible(el)) continue;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    const min = qunzhong && el.closest("main") ? 18 : 16;
    if (size < min - 0.01) out.small_text.push(`${describe(el)} ${size.toFixed(1)}px < ${min}px`);
    if (!el.closest("h1,h2,h3,h4,h5,h6")) {
      const lh = cs.lineHeight === "normal" ? 1.2 * size : parseFloat(cs.lineHeight);
      // A fixed line height (tap targets) that is at least 1.5× the text is fine too.
      if (lh < 1.5 * size - 0.01)
        out.tight_lines.push(`${describe(el)} line-height ${(lh / size).toFixed(2)}`);
    }
  }

  // Tap targets: 44×44 CSS px, except links inside running text (WCAG 2.5.5's inline case).
  const targets = document.body.querySelectorAll(
    "a[href], button, label, summary, select, textarea, input:not([type=hidden]):not([disabled])",
  );
  for (const el of targets) {
    if (!visible(el)) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "inline") {
      const block = el.parentElement;
      let rest = block ? block.textContent : "";
      for (const a of block ? block.querySelectorAll("a, label") : []) {
        rest = rest.split(a.textContent).join("");
      }
      if (rest.replace(/[\s·：:，,。（）()→]/gu, "") !== "") continue; // in a sentence
    }
    const r = el.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5)
      out.taps.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}

async function runAxe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary || ""}`),
    }));
  });
}

async function shot(page, name, fullPage = false) {
  if (!job.shots) return;
  fs.mkdirSync(job.shots, { recursive: true });
  await page.screenshot({ path: path.join(job.shots, name + ".png"), fullPage });
}

function shotName(p) {
  return p.path.replace(/[^a-z0-9]+/gi, "-").replace(/^-+|-+$/g, "") || "portal";
}

async function checkPage(p) {
  const { ctx, foreign } = await newContext(true, !!p.print);
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const resp = await page.goto(job.base + p.path, { waitUntil: "load" });
  const result = { kind: p.kind, path: p.path, status: resp ? resp.status() : 0 };
  result.normal = await page.evaluate(measure);
  result.axe = await runAxe(page);
  await shot(page, shotName(p));
  await shot(page, shotName(p) + "-full", true);
  if (p.print) {
    // A print view has no 大字 switch and is not read on a phone.
    result.foreign = foreign;
    result.errors = errors;
    await ctx.close();
    return result;
  }
  // The same page in 大字 mode, switched on the way a reader does.
  await page.click("label[for=dazi]");
  result.dazi = await page.evaluate(measure);
  result.axe_dazi = await runAxe(page);
  // The narrowest phones the site is made for, still in 大字 mode.
  await page.setViewportSize({ width: 360, height: 640 });
  result.narrow = await page.evaluate(measure);
  result.foreign = foreign;
  result.errors = errors;
  await ctx.close();
  return result;
}

// The 大字 switch: works with JavaScript off; with it on, the choice carries to the next page
// and back off again.
async function checkDazi() {
  const problems = [];
  const fontOf = (page) => page.evaluate(() => ({
    checked: document.getElementById("dazi").checked,
    px: parseFloat(getComputedStyle(document.querySelector("main p")).fontSize),
  }));
  {
    const { ctx } = await newContext(false);
    const page = await ctx.newPage();
    await page.goto(job.base + job.dazi.first);
    const before = await fontOf(page);
    await page.click("label[for=dazi]");
    const after = await fontOf(page);
    if (!after.checked) problems.push("JavaScript 关闭时，点「大字」没有选中开关");
    if (!(after.px >= before.px * 1.2))
      problems.push(`JavaScript 关闭时，大字没有放大：${before.px}px → ${after.px}px`);
    await ctx.close();
  }
  {
    const { ctx } = await newContext(true);
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(job.base + job.dazi.first);
    const before = await fontOf(page);
    await page.click("label[for=dazi]");
    await page.goto(job.base + job.dazi.second);
    const next = await fontOf(page);
    if (!next.checked) problems.push("打开大字后换到下一页，大字没有保持");
    await page.click("label[for=dazi]");
    await page.goto(job.base + job.dazi.first);
    const off = await fontOf(page);
    if (off.checked || off.px !== before.px)
      problems.push(`关掉大字后换页，仍是大字：${before.px}px → ${off.px}px`);
    for (const e of errors) problems.push("脚本错误：" + e);
    await ctx.close();
  }
  return problems;
}

const report = { chromium: browser.version(), pages: [], dazi: [] };
try {
  for (const p of job.pages) report.pages.push(await checkPage(p));
  if (job.dazi) report.dazi = await checkDazi();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
