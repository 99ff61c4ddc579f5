// Two browsers chat through clash-host (issue 14, "done when"). Run by
// tests/python/test_chat_browsers.py, which starts the host(s) and passes one JSON argument:
//   {"chromium": "/usr/bin/chromium",
//    "users": [{"origin": "http://127.0.0.1:PORT", "outbox": "<host data dir>/outbox"}, ...two],
//    "cross_origin_ws": "ws://127.0.0.1:OTHER/ws/chat/global"   (optional)}
// Each user is a separate browser context (its own cookie jar) of one headless Chromium driven by
// playwright-core. Each loads the test page from its host's origin, logs in through the page's
// OTP form (the code read from the host's file outbox, as a person reads their mail), waits until
// the page's native WebSocket to /ws/chat/global is open and both users are online, and then the two
// exchange messages both ways. Every wait is on a condition with a generous deadline, never a
// sleep. Prints one JSON object with what each page saw; the Python test asserts on it. Exit code 1
// with the reason on stderr if a condition is not reached.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const config = JSON.parse(process.argv[2]);
const DEADLINE_MS = 60_000;

// The newest login code mailed to `email` in `outbox`, once it is there.
async function waitForOtp(page, outbox, email) {
  const deadline = Date.now() + DEADLINE_MS;
  while (Date.now() < deadline) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith(".eml")).sort() : [];
    for (const f of files.reverse()) {
      const text = readFileSync(join(outbox, f), "utf8");
      if (!new RegExp(`^To: ${email.replace(/\./g, "\\.")}$`, "m").test(text)) continue;
      const m = /code is ([0-9]{6})/.exec(text);
      if (m) return m[1];
    }
    await page.waitForTimeout(50);  // polling the outbox for a condition, not waiting for time to pass
  }
  throw new Error(`no login code mailed to ${email}`);
}

async function login(browser, user, index) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (msg) => { if (msg.type() === "error") consoleErrors.push(msg.text()); });
  page.setDefaultTimeout(DEADLINE_MS);
  await page.goto(user.origin + "/");
  const email = `browser${index}-${randomBytes(4).toString("hex")}@example.com`;
  await page.fill("#email", email);
  await page.click("#request");
  await page.waitForSelector("#request[data-sent=yes]");
  await page.fill("#otp", await waitForOtp(page, user.outbox, email));
  await page.click("#verify");
  await page.waitForFunction(() => window.chat.state === "open" || window.chat.errors.length > 0);
  const errors = await page.evaluate(() => window.chat.errors);
  if (errors.length) throw new Error(`user ${index} login: ${errors.join("; ")}`);
  const username = await page.evaluate(() => window.chat.user.username);
  return { context, page, username, consoleErrors };
}

// Types `text` into the page's compose box and clicks Send, then waits until `reader` shows it.
async function exchange(writer, reader, text) {
  await writer.page.fill("#text", text);
  await writer.page.click("#send");
  await reader.page.waitForFunction(
    (t) => window.chat.messages.some((m) => m.message === t), text);
  await writer.page.waitForFunction(
    (t) => window.chat.messages.some((m) => m.message === t), text);
}

async function seen(u) {
  return u.page.evaluate(() => ({
    messages: window.chat.messages.map((m) => ({ id: m.id, seq: m.seq, username: m.username, message: m.message,
                                                  via: m.via })),
    rendered: Array.from(document.querySelectorAll("#messages li"), (li) => li.textContent),
    errors: window.chat.errors,
    online: window.chat.onlineCount,
    state: window.chat.state,
    scriptCookies: document.cookie,
  }));
}

const browser = await chromium.launch({ executablePath: config.chromium, headless: true });
let failed = null;
const out = {};
try {
  const users = [];
  for (const [i, u] of config.users.entries()) users.push(await login(browser, u, i));
  const [a, b] = users;
  // Both are joined to the room (each page counts two distinct users online) before anyone writes,
  // so the messages arrive live as chat_message frames, not in a history frame.
  for (const u of users) await u.page.waitForFunction(() => window.chat.onlineCount >= 2);
  const tag = randomBytes(3).toString("hex");
  const script = [
    [a, b, `hello from ${a.username} (${tag})`],
    [b, a, `hi ${a.username}, ${b.username} here (${tag})`],
    [a, b, `second from ${a.username} (${tag})`],
    [b, a, `second from ${b.username} (${tag})`],
  ];
  for (const [writer, reader, text] of script) await exchange(writer, reader, text);
  out.sent = script.map(([writer, , text]) => ({ username: writer.username, message: text }));
  out.users = [];
  for (const u of users) out.users.push({ username: u.username, ...(await seen(u)), consoleErrors: [...u.consoleErrors] });
  if (config.cross_origin_ws) {
    // A page of one origin opening the chat socket of another origin: the cookie for 127.0.0.1 goes
    // along (cookies ignore ports), so only the host's Origin check can refuse it.
    const before = b.consoleErrors.length;
    out.crossOrigin = await b.page.evaluate((url) => window.chat.probeSocket(url), config.cross_origin_ws);
    out.crossOrigin.consoleErrors = b.consoleErrors.slice(before);
  }
} catch (e) {
  failed = e;
} finally {
  await browser.close();
}
if (failed) {
  process.stderr.write(`chat_browsers: ${failed.stack || failed}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out));
