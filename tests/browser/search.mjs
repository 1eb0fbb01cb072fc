// Search in the browser, for tests/browser/search.rs and tests/suite/search_budget.rs. Reads a JSON job
// on stdin, drives Debian's Chromium through playwright-core at 375 px with a WeChat Android user
// agent, types each query into the search page's box as a reader does, and prints one JSON
// report on stdout: the results in order, every request (and any to another origin), script
// errors. It judges nothing: the Rust tests do.
//
// Job: {"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//       "queries": [{"page": "/qunzhong/search/", "q": "彩礼"}, …],
//       "dazi": {"page": "/qunzhong/search/", "q": "彩礼"},  // optional: results' type, 大字 off/on
//       "tokens": {"page": "/qunzhong/search/", "strings": ["《民法典》", …]}}  // optional: the
//                                                  // script's tokens and their hashes
import { phoneContext, start } from "./start.mjs";

const { job, origin, browser } = await start("search.mjs", 600);

async function newPage() {
  const { ctx, foreign, requests } = await phoneContext(browser, origin);
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return { ctx, page, foreign, requests, errors };
}

// The search is over when the status line says something other than "searching".
async function settled(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status");
    return s && s.textContent && !s.textContent.startsWith("正在搜索");
  }, null, { timeout: 20_000 });
}

async function search({ page: path, q }) {
  const { ctx, page, foreign, requests, errors } = await newPage();
  await page.goto(job.base + path, { waitUntil: "load" });
  // What loading the empty page costs is part of every search.
  requests.length = 0;
  await page.fill("#q", "");
  await page.type("#q", q);
  await Promise.all([page.waitForURL(/[?&]q=/), page.press("#q", "Enter")]);
  let status = "";
  try {
    await settled(page);
  } catch (e) {
    errors.push("等不到结果：" + e.message);
  }
  status = await page.textContent("#search-status");
  const results = await page.$$eval("#search-results .result-title", (as) =>
    as.map((a) => {
      const u = new URL(a.href);
      return { path: u.pathname + u.hash, title: a.textContent };
    }),
  );
  const marks = await page.$$eval("#search-results mark", (ms) => ms.length);
  const suggestions = await page.$$eval("#search-suggest a", (as) => as.map((a) => a.textContent));
  const help = await page.$eval("#search-help", (h) => !h.hidden && h.textContent.includes("12348")).catch(() => false);
  // Content is text: nothing it says may become an element.
  const injected = await page.$$eval("#search-results img, #search-results script", (e) => e.length);
  const url = page.url();
  await ctx.close();
  return { page: path, q, url, status, results, marks, suggestions, help, injected, requests: [...new Set(requests)], foreign, errors };
}

// The results' type with 大字 off and on, switched the way a reader does.
async function dazi({ page: path, q }) {
  const { ctx, page, errors } = await newPage();
  await page.goto(job.base + path + "?q=" + encodeURIComponent(q), { waitUntil: "load" });
  await settled(page);
  const size = () => page.$eval("#search-results .snippet", (p) => parseFloat(getComputedStyle(p).fontSize));
  const before = await size();
  await page.click("label[for=dazi]");
  const after = await size();
  await ctx.close();
  return { before, after, errors };
}

async function tokens({ page: path, strings }) {
  const { ctx, page } = await newPage();
  await page.goto(job.base + path, { waitUntil: "load" });
  const out = await page.evaluate((strings) => strings.map((s) => ({
    s,
    fillers: window.qiliSearch.fillers,
    tokens: window.qiliSearch.queryTokens(s),
    hashes: window.qiliSearch.queryTokens(s).map((t) => window.qiliSearch.fnv1a32(t)),
  })), strings);
  await ctx.close();
  return out;
}

const report = { chromium: browser.version(), searches: [] };
try {
  for (const q of job.queries || []) report.searches.push(await search(q));
  if (job.dazi) report.dazi = await dazi(job.dazi);
  if (job.tokens) report.tokens = await tokens(job.tokens);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
