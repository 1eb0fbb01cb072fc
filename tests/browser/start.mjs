// What every browser script of the tests does first: read its JSON job from stdin, make sure a
// Chromium that stops answering cannot hang the test run, and start Debian's Chromium through
// playwright-core with the flags this machine needs (no sandbox as root, no background
// networking: the network is closed and Chromium would keep trying).
import { chromium } from "playwright-core";
import fs from "node:fs";

// WeChat 8 on Android: its XWeb engine reports an older Chrome.
export const WECHAT_UA =
  "Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 " +
  "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 " +
  "MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x28002151) WeChat/arm64 Weixin NetType/4G " +
  "Language/zh_CN ABI/arm64";

/// Reads the job, arms the watchdog (`name` says who gave up) and launches Chromium.
export async function start(name, seconds = 300) {
  setTimeout(() => {
    process.stderr.write(`${name}: gave up after ${seconds} s\n`);
    process.exit(3);
  }, seconds * 1000).unref();
  const job = JSON.parse(fs.readFileSync(0, "utf8"));
  const browser = await chromium.launch({
    executablePath: job.chromium,
    headless: true,
    chromiumSandbox: false,
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { job, origin: new URL(job.base).origin, browser };
}

/// A browser context as a villager's phone in WeChat (375 × 667, touch, WeChat's user agent), or
/// with `desktop` the village office's computer (print views). Every request to another origin is
/// recorded in `foreign` and refused; the path of every request to the site goes into `requests`.
export async function phoneContext(browser, origin, { javaScriptEnabled = true, desktop = false } = {}) {
  const ctx = await browser.newContext(
    desktop
      ? { viewport: { width: 1280, height: 900 }, locale: "zh-CN", javaScriptEnabled }
      : {
          viewport: { width: 375, height: 667 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
          userAgent: WECHAT_UA,
          locale: "zh-CN",
          javaScriptEnabled,
        },
  );
  const foreign = [];
  const requests = [];
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  ctx.on("request", (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== origin) {
      if (!foreign.includes(url)) foreign.push(url);
    } else {
      requests.push(new URL(url).pathname);
    }
  });
  return { ctx, foreign, requests };
}
