// A small W3C WebDriver client on Node's fetch, and a helper that starts tauri-driver.
// Enough for our end-to-end tests; no browser download, no npm packages.

import { spawn, spawnSync } from "node:child_process";
import { openSync } from "node:fs";
import { createServer, connect } from "node:net";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A free TCP port on loopback. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port. */
async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts tauri-driver (which starts WebKitWebDriver) and waits until both listen: tauri-driver
 * opens its own port before the native driver is ready. `env` reaches the app it starts;
 * with `log`, what the driver and the app print goes to that file instead of this terminal.
 * @param {Record<string, string>} [env]
 * @param {string} [log]
 */
export async function startDriver(env = {}, log = undefined) {
  const port = await freePort();
  const nativePort = await freePort();
  const output = log === undefined ? "inherit" : openSync(log, "a");
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", output, output],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((_, reject) =>
    child.once("exit", (code) => reject(new Error(`tauri-driver exited early (${code})`))),
  );
  await Promise.race([Promise.all([waitForPort(port, 15000), waitForPort(nativePort, 15000)]), exited]);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => child.kill(),
  };
}

export class Session {
  /**
   * @param {string} url driver URL
   * @param {string} id session id
   */
  constructor(url, id, application = "") {
    this.base = `${url}/session/${id}`;
    this.application = application;
  }

  /**
   * Opens the app in a new session.
   * @param {string} url driver URL
   * @param {string} application path of the built app
   * @param {string[]} [args] app arguments
   */
  static async start(url, application, args = []) {
    const body = { capabilities: { alwaysMatch: { "tauri:options": { application, args } } } };
    const value = await request("POST", `${url}/session`, body);
    return new Session(url, value.sessionId, application);
  }

  /**
   * Ends the session and waits until the app has exited: the app keeps one running instance,
   * so a session started while the last one is still closing would hand over to it and quit.
   */
  async quit() {
    await request("DELETE", this.base);
    const deadline = Date.now() + 15000;
    while (this.application && Date.now() < deadline) {
      if (spawnSync("pgrep", ["-f", this.application]).status !== 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** @param {string} css */
  async find(css) {
    const value = await request("POST", `${this.base}/element`, { using: "css selector", value: css });
    return new Element(this, value[ELEMENT]);
  }

  /** @param {string} css */
  async findAll(css) {
    const value = await request("POST", `${this.base}/elements`, { using: "css selector", value: css });
    return value.map((/** @type {any} */ v) => new Element(this, v[ELEMENT]));
  }

  /**
   * Runs script in the page; its return value comes back.
   * @param {string} script
   * @param {unknown[]} [args]
   */
  async execute(script, args = []) {
    return request("POST", `${this.base}/execute/sync`, { script, args });
  }

  /**
   * Runs script in the page and waits for it to call its last argument; what it passes comes back.
   * @param {string} script
   * @param {unknown[]} [args]
   */
  async executeAsync(script, args = []) {
    return request("POST", `${this.base}/execute/async`, { script, args });
  }

  /**
   * Presses keys one after the other on whatever has the focus, as a person at the keyboard
   * would (WebDriver actions). A key is a character or a name from `KEYS`; an array is a chord
   * (`[KEYS.Shift, KEYS.Tab]`).
   * @param {(string | string[])[]} keys
   */
  async press(...keys) {
    const actions = keys.flatMap((key) => {
      const chord = Array.isArray(key) ? key : [key];
      return [
        ...chord.map((value) => ({ type: "keyDown", value })),
        ...[...chord].reverse().map((value) => ({ type: "keyUp", value })),
      ];
    });
    await request("POST", `${this.base}/actions`, { actions: [{ type: "key", id: "keyboard", actions }] });
    await request("DELETE", `${this.base}/actions`);
  }

  /**
   * What has the focus, for assertions: its tag, id, test id, action, role, name and value (of
   * a field), `data-id` (of a result row), `data-tab`, accessible label and the start of its text.
   */
  async focused() {
    return this.execute(`const e = document.activeElement;
      if (!e || e === document.body) return { tag: "body" };
      const attr = (name) => e.getAttribute(name) ?? "";
      return { tag: e.tagName.toLowerCase(), id: e.id, testid: attr("data-testid"), action: attr("data-action"),
        role: attr("role"), name: attr("name"), value: e.value ?? "", dataId: attr("data-id"), tab: attr("data-tab"),
        label: attr("aria-label"), text: (e.textContent ?? "").trim().slice(0, 80) };`);
  }

  /**
   * Waits until `css` matches an element for which `check` (given its text) is true.
   * @param {string} css
   * @param {(text: string) => boolean} [check]
   */
  async waitFor(css, check = () => true, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      try {
        const element = await this.find(css);
        last = await element.text();
        if (await element.displayed() && check(last)) return element;
      } catch {
        // Not there yet.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${css} (last text: ${JSON.stringify(last)})`);
  }

  /** The window's position and size. @returns {Promise<{x: number, y: number, width: number, height: number}>} */
  async windowRect() {
    return request("GET", `${this.base}/window/rect`);
  }

  /** Moves and resizes the window. @param {{x?: number, y?: number, width?: number, height?: number}} rect */
  async setWindowRect(rect) {
    return request("POST", `${this.base}/window/rect`, rect);
  }

  /** PNG bytes of the window. */
  async screenshot() {
    return Buffer.from(await request("GET", `${this.base}/screenshot`), "base64");
  }
}

class Element {
  /**
   * @param {Session} session
   * @param {string} id
   */
  constructor(session, id) {
    this.session = session;
    this.id = id;
    this.url = `${session.base}/element/${id}`;
  }
  /** Clicks the element after bringing it to the middle of the window, clear of the top bar and messages. */
  async click() {
    await this.session.execute(
      "const r = arguments[0].getBoundingClientRect(); if (r.top < 80 || r.bottom > innerHeight - 80) arguments[0].scrollIntoView({ block: 'center' });",
      [{ [ELEMENT]: this.id }],
    );
    await request("POST", `${this.url}/click`, {});
  }
  /** @param {string} text */
  async type(text) {
    await request("POST", `${this.url}/value`, { text });
  }
  async clear() {
    await request("POST", `${this.url}/clear`, {});
  }
  /** @returns {Promise<string>} */
  async text() {
    return request("GET", `${this.url}/text`);
  }
  /** @returns {Promise<boolean>} */
  async displayed() {
    return request("GET", `${this.url}/displayed`);
  }
  /** @param {string} name */
  async attribute(name) {
    return request("GET", `${this.url}/attribute/${name}`);
  }
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 */
async function request(method, url, body) {
  // A driver that stops answering fails the test instead of hanging the run.
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = json.value ?? {};
    throw new Error(`${method} ${url}: ${response.status} ${error.error ?? ""} ${error.message ?? ""}`);
  }
  return json.value;
}

/** WebDriver's codes for the keys that are not characters. */
export const KEYS = {
  Tab: "\uE004",
  Enter: "\uE007",
  Shift: "\uE008",
  Escape: "\uE00C",
  Space: "\uE00D",
  ArrowLeft: "\uE012",
  ArrowUp: "\uE013",
  ArrowRight: "\uE014",
  ArrowDown: "\uE015",
};
