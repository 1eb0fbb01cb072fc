// The preview's "复制到公众号" button, for tests/browser/wechat.rs. Reads a JSON job on stdin,
// opens a lesson page served by `qili serve` in Debian's Chromium through playwright-core,
// follows the button, waits for the 375 px frame, presses 复制正文 and reads back what the
// clipboard holds as HTML. Prints one JSON report; the Rust test judges it.
//
// Job: {"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//       "page": "/qunzhong/lessons/a/", "screenshot": "/tmp/x.png" (optional)}
import { start } from "./start.mjs";

const { job, origin, browser } = await start("wechat_copy.mjs", 120);
const report = { foreign: [] };
try {
  const ctx = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: "zh-CN" });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    report.foreign.push(url);
    return route.abort();
  });
  const page = await ctx.newPage();
  await page.goto(job.base + job.page, { waitUntil: "load" });
  report.button = await page.locator("#qili-wechat a").textContent();
  await Promise.all([page.waitForURL(/\/_qili\/wechat\?/), page.click("#qili-wechat a")]);
  await page.waitForFunction(() => {
    const f = document.getElementById("article");
    return f && f.contentDocument && f.contentDocument.readyState === "complete" &&
      f.contentDocument.body && f.contentDocument.body.children.length > 0;
  });
  report.frame = await page.evaluate(() => {
    const f = document.getElementById("article");
    return {
      width: f.getBoundingClientRect().width,
      inner: f.contentDocument.documentElement.clientWidth,
      html: f.contentDocument.body.innerHTML,
    };
  });
  await page.click("#copy");
  await page.waitForFunction(() => document.getElementById("status").textContent.length > 0);
  report.status = await page.locator("#status").textContent();
  report.clipboard = await page.evaluate(async () => {
    const out = {};
    for (const item of await navigator.clipboard.read()) {
      for (const type of item.types) out[type] = await (await item.getType(type)).text();
    }
    return out;
  });
  if (job.screenshot) await page.screenshot({ path: job.screenshot });
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
