// End-to-end: what a desktop app is expected to do beyond its window. Opening an export a second
// time (double-clicking it in the file manager) hands the file to the window already open
// instead of starting another; the About dialog shows the version; when the admin asks, a newer
// release is offered. Run through scripts/test.sh (it provides the display and the D-Bus
// session a single-instance app needs on Linux).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, writeFileSync, mkdtempSync, readFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "./webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const app = process.env.SIGNIN_DOCTOR_APP ?? join(root, "target/debug/signin-doctor-app");
const shots = join(root, "target/e2e-screenshots");
const fixture = (path) => join(root, "tests/fixtures", path);
const version = readFileSync(join(root, "Cargo.toml"), "utf8").match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)?.[1];

/** @type {{url: string, stop: () => void}} */
let driver;
/** @type {import("node:http").Server} */
let releases;
let dataDir = "";

before(async () => {
  assert.ok(process.env.DISPLAY, "the end-to-end tests need a display; run them through scripts/test.sh");
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, "a single-instance app needs a D-Bus session; run through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  // A stand-in for the release page: its latest.json names a newer version.
  releases = createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.end(
      JSON.stringify({
        version: "99.1.0",
        notes: "Faster imports and Dutch.",
        pub_date: "2026-12-01T09:00:00Z",
        platforms: {
          "linux-x86_64": { signature: "none", url: "http://127.0.0.1:9/unused.AppImage" },
          "linux-x86_64-deb": { signature: "none", url: "http://127.0.0.1:9/unused.deb" },
          "linux-aarch64": { signature: "none", url: "http://127.0.0.1:9/unused.AppImage" },
        },
      }),
    );
  });
  await new Promise((r) => releases.listen(0, "127.0.0.1", () => r(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (releases.address());
  dataDir = mkdtempSync(join(tmpdir(), "signin-doctor-e2e-desktop-"));
  driver = await startDriver({
    SIGNIN_DOCTOR_DATA_DIR: dataDir,
    SIGNIN_DOCTOR_UPDATE_URL: `http://127.0.0.1:${address.port}/latest.json`,
  });
});

after(() => {
  driver?.stop();
  releases?.close();
});

test("opening an export again hands it to the window already open", async () => {
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-demo]");
    // A second launch with a file, as the file manager does for "Open with Sign-in Doctor".
    const second = spawn(app, [fixture("samples/graph/v1-signin-list-example-1.json")], {
      env: { ...process.env, SIGNIN_DOCTOR_DATA_DIR: dataDir },
      stdio: "ignore",
    });
    const code = await new Promise((resolveExit, reject) => {
      const timer = setTimeout(() => reject(new Error("the second launch kept running")), 15000);
      second.once("exit", (c) => {
        clearTimeout(timer);
        resolveExit(c);
      });
    });
    assert.equal(code, 0, "the second launch hands over and quits");
    await session.waitFor("[data-testid=dataset-chip]", (text) => text.startsWith("1 sign-in"), 15000);
    await session.waitFor("[data-testid=results-count]", (text) => text === "1 sign-in found");
  } finally {
    await session.quit();
  }
});

test("About shows the version, and a newer release is offered when the admin checks", async () => {
  const session = await Session.start(driver.url, app);
  try {
    await session.waitFor("[data-testid=open-about]");
    // No update check happens by itself.
    assert.equal(await session.execute("return document.querySelector('[data-testid=update-chip]').hidden"), true);
    await (await session.find("[data-testid=open-about]")).click();
    await session.waitFor("[data-testid=about-version]", (text) => text === `Version ${version}`);
    await (await session.find("[data-action=check-update]")).click();
    await session.waitFor("[data-testid=update-available]", (text) => text.includes("Version 99.1.0 is available."));
    await session.waitFor("[data-testid=update-chip]", (text) => text === "Update to 99.1.0");
    // Give WebKit a moment to paint the dialog's new content before the screenshot.
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(shots, "20-about-update.png"), await session.screenshot());
  } finally {
    await session.quit();
  }
});

test("the window opens again at the size and place it was left", async () => {
  const first = await Session.start(driver.url, app);
  let left;
  try {
    await first.waitFor("[data-testid=open-about]");
    await first.setWindowRect({ x: 40, y: 30, width: 1000, height: 700 });
    left = await first.windowRect();
    assert.equal(left.width, 1000);
    // The app saves the window's place once it has stopped moving.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await first.quit();
  }
  const second = await Session.start(driver.url, app);
  try {
    await second.waitFor("[data-testid=open-about]");
    const again = await second.windowRect();
    assert.deepEqual({ width: again.width, height: again.height }, { width: left.width, height: left.height });
    assert.deepEqual({ x: again.x, y: again.y }, { x: left.x, y: left.y });
    // Back to the usual size for the tests that follow.
    await second.setWindowRect({ x: 0, y: 0, width: 1280, height: 800 });
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await second.quit();
  }
});
