// The editors' desk of `qili serve`, for tests/browser/desk.rs. Reads a JSON job on stdin,
// opens /_qili/desk/ in Debian's Chromium through playwright-core, starts a new notice as a
// village secretary would, fills it in from a meeting record, types the 赞成 count one short
// and then the right one, looks at the three previews and saves. Prints one JSON report; the
// Rust test judges it.
//
// Job: {"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//       "village": "dongling", "title": "…", "fields": [[name, value], …],
//       "short": [name, value], "right": [name, value], "screenshots": "/dir" (optional)}
import { start } from "./start.mjs";

const { job, origin, browser } = await start("desk.mjs", 150);
const report = { foreign: [], steps: [] };
const step = (s) => report.steps.push(s);

// The findings shown next to one field.
const findingsOf = (page, field) =>
  page.evaluate((f) => Array.from(
    document.querySelectorAll(`.findings[data-for="${CSS.escape(f)}"] .finding`),
    (e) => ({ code: e.dataset.code, text: e.textContent })), field);

try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN" });
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("about:") || url.startsWith("data:") || new URL(url).origin === origin) {
      return route.continue();
    }
    report.foreign.push(url);
    return route.abort();
  });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => report.steps.push("page error: " + e.message));

  await page.goto(job.base + "/_qili/desk/", { waitUntil: "load" });
  report.list = await page.evaluate(() => Array.from(document.querySelectorAll("tbody tr"),
    (tr) => Array.from(tr.cells, (c) => c.textContent.trim())));
  if (job.screenshots) await page.screenshot({ path: job.screenshots + "/desk-list.png" });

  // 新建公开: the village and the title, then the form.
  const create = page.locator("form.new").filter({ has: page.locator('input[value="notice"]') });
  await create.locator('select[name="village"]').selectOption(job.village);
  await create.locator('input[name="title"]').fill(job.title);
  await Promise.all([page.waitForURL(/\/_qili\/desk\/new\?/), create.locator("button").click()]);
  await page.waitForFunction(() => Number(document.body.dataset.checks || 0) >= 1);
  step("form open");
  report.meetings = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[name="steps.resolution.meeting"] option'))
      .filter((o) => o.value && !o.hidden).map((o) => o.value));

  const fill = async (name, value) => {
    const el = page.locator(`[name="${name}"]`);
    const tag = await el.evaluate((e) => e.tagName + ":" + (e.type || ""));
    if (tag.startsWith("SELECT")) await el.selectOption(value);
    else if (tag.endsWith("checkbox")) await el.setChecked(value === "true");
    else await el.fill(value);
  };
  for (const [name, value] of job.fields) await fill(name, value);
  step("filled");

  // One vote short: the finding appears next to 赞成.
  await fill(job.short[0], job.short[1]);
  await page.waitForFunction((f) => document.querySelector(
    `.findings[data-for="${CSS.escape(f)}"] .finding`), job.short[0], { timeout: 15_000 });
  report.short = await findingsOf(page, job.short[0]);
  report.invalid = await page.locator(`[name="${job.short[0]}"]`).getAttribute("aria-invalid");
  if (job.screenshots) {
    await page.locator(`[name="${job.short[0]}"]`).evaluate((e) => e.scrollIntoView({ block: "center" }));
    await page.screenshot({ path: job.screenshots + "/desk-form.png" });
  }

  // Corrected: it goes away.
  const seen = await page.evaluate(() => Number(document.body.dataset.checks));
  await fill(job.right[0], job.right[1]);
  await page.waitForFunction(([f, n]) => Number(document.body.dataset.checks) > n &&
    !document.querySelector(`.findings[data-for="${CSS.escape(f)}"] .finding`),
    [job.right[0], seen], { timeout: 15_000 });
  report.right = await findingsOf(page, job.right[0]);
  report.remaining = await page.evaluate(() => Array.from(document.querySelectorAll(".finding"),
    (e) => e.dataset.code + " " + e.textContent));

  // The three previews of the unsaved text.
  report.previews = {};
  for (const tab of ["page", "a4", "a3"]) {
    const n = await page.evaluate(() => Number(document.body.dataset.checks));
    await page.click(`[role="tab"][data-preview="${tab}"]`);
    await page.waitForFunction((n) => Number(document.body.dataset.checks) > n, n);
    await page.waitForFunction(() => {
      const d = document.getElementById("preview").contentDocument;
      return d && d.readyState === "complete" && d.body && d.body.textContent.length > 0;
    });
    report.previews[tab] = await page.evaluate(() => {
      const d = document.getElementById("preview").contentDocument;
      return { title: d.title, text: d.body.innerText.slice(0, 4000) };
    });
  }
  report.print = await page.locator("#print").textContent();

  // Save.
  await page.click("#save");
  await page.waitForFunction(() => /已保存|失败|不能|没有保存/.test(document.getElementById("status").textContent));
  report.status = await page.locator("#status").textContent();
  report.url = page.url();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
