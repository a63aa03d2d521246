// The Linux package as an admin gets it: install the .deb that scripts/package.sh built with
// dpkg, check what it put on the system (the app, the command line, the menu entry with its
// file types, icons at every size), start the installed app in a real window and open the demo
// data through WebDriver, then remove the package and check it is gone.
//
// Needs root (CI runs as root) or passwordless sudo, a display (scripts/test.sh starts Xvfb) and
// tauri-driver. Run after `scripts/package.sh --debug`.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "../e2e/webdriver.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const shots = join(root, "target/e2e-screenshots");

/** Runs a command as root: directly when we are root, else through `sudo -n`. */
function asRoot(command, args) {
  const [program, list] = process.getuid?.() === 0 ? [command, args] : ["sudo", ["-n", command, ...args]];
  return execFileSync(program, list, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The newest .deb that scripts/package.sh made. */
function newestDeb() {
  const candidates = ["debug", "release"]
    .map((profile) => join(root, "target", profile, "bundle", "deb"))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".deb")).map((f) => join(dir, f)));
  assert.ok(candidates.length > 0, "no .deb found: run scripts/package.sh --debug first");
  return candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

const deb = newestDeb();
const field = (name) => execFileSync("dpkg-deb", ["--field", deb, name], { encoding: "utf8" }).trim();
const packageName = field("Package");
const version = readFileSync(join(root, "Cargo.toml"), "utf8").match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)?.[1];

/** @type {{url: string, stop: () => void}} */
let driver;

before(async () => {
  assert.ok(process.env.DISPLAY, "the install test needs a display; run it through scripts/test.sh");
  mkdirSync(shots, { recursive: true });
  asRoot("dpkg", ["-i", deb]);
  driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-installed-")) });
});

after(() => {
  driver?.stop();
  // The app restarted by its update is not the driver's; end it too.
  try {
    execFileSync("pkill", ["-f", "/usr/bin/signin-doctor-app"]);
  } catch {
    // Not running.
  }
  // Leave the machine as it was, even when a check failed.
  try {
    asRoot("dpkg", ["-r", packageName]);
  } catch {
    // Already removed by the last test.
  }
});

test("the package carries the one version and the app's description", () => {
  assert.equal(field("Version"), version, "the package version is the workspace's");
  assert.match(field("Description"), /sign/i);
  assert.match(field("Depends"), /libwebkit2gtk-4\.1-0/);
});

test("installing puts the app, the command line, a menu entry and icons on the system", () => {
  const files = execFileSync("dpkg", ["-L", packageName], { encoding: "utf8" }).split("\n");
  assert.ok(files.includes("/usr/bin/signin-doctor-app"), "the desktop app");
  assert.ok(files.includes("/usr/bin/signin-doctor"), "the command line");
  const desktop = files.find((f) => f.startsWith("/usr/share/applications/") && f.endsWith(".desktop"));
  assert.ok(desktop, "a menu entry");
  const entry = readFileSync(desktop, "utf8");
  assert.match(entry, /^Name=Sign-in Doctor$/m);
  assert.match(entry, /^Exec=signin-doctor-app/m);
  assert.match(entry, /^MimeType=.*application\/json.*;/m, "exports open with the app");
  assert.match(entry, /text\/csv/);
  const icons = files.filter((f) => f.startsWith("/usr/share/icons/hicolor/") && f.endsWith(".png"));
  // Every size a desktop asks for, from the menu's 16 px to the 512 px of a large grid.
  for (const size of ["16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "256x256", "512x512"]) {
    assert.ok(icons.some((f) => f.includes(`/${size}/`)), `an icon at ${size}: ${icons.join(", ")}`);
  }
  const cli = execFileSync("/usr/bin/signin-doctor", ["--version"], { encoding: "utf8" });
  assert.equal(cli.trim(), `signin-doctor ${version}`);
});

test("the installed app opens and shows the demo data", async () => {
  const session = await Session.start(driver.url, "/usr/bin/signin-doctor-app");
  try {
    await session.waitFor("[data-testid=open-demo]");
    await (await session.find("[data-testid=open-demo]")).click();
    await session.waitFor("[data-testid=results-count]", (text) => /^\d+ sign-ins found$/.test(text), 20000);
    writeFileSync(join(shots, "install-01-installed-app.png"), await session.screenshot());
    await (await session.find("[data-testid=open-about]")).click();
    await session.waitFor("[data-testid=about-version]", (text) => text === `Version ${version}`);
    writeFileSync(join(shots, "install-02-about.png"), await session.screenshot());
  } finally {
    await session.quit();
  }
});

/** The installed package's version, as dpkg knows it. */
const installedVersion = () => execFileSync("dpkg-query", ["-W", "-f=${Version}", packageName], { encoding: "utf8" });

/** The Tauri CLI, for signing update bundles the way the release workflow does. */
const tauri = (args) => execFileSync(join(root, "node_modules/.bin/tauri"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("the installed app updates itself from a signed release, and refuses a badly signed one", async () => {
  const work = mkdtempSync(join(tmpdir(), "signin-doctor-update-"));
  // A throwaway signing key: the debug build accepts a test key and release address (release
  // builds only ever use the ones in tauri.conf.json).
  tauri(["signer", "generate", "--ci", "-w", join(work, "update.key"), "-p", ""]);
  const pubkey = readFileSync(join(work, "update.key.pub"), "utf8").trim();
  // The "next release": the same package, one patch version up.
  const next = version.replace(/\d+$/, (n) => String(Number(n) + 1));
  execFileSync("dpkg-deb", ["-R", deb, join(work, "pkg")]);
  const control = join(work, "pkg/DEBIAN/control");
  writeFileSync(control, readFileSync(control, "utf8").replace(/^Version: .*$/m, `Version: ${next}`));
  const update = join(work, "update.deb");
  execFileSync("dpkg-deb", ["-b", join(work, "pkg"), update], { stdio: "ignore" });
  tauri(["signer", "sign", "-k", readFileSync(join(work, "update.key"), "utf8"), "-p", "", update]);
  const goodSignature = readFileSync(`${update}.sig`, "utf8");
  // A signature by another key: what a tampered download would carry.
  tauri(["signer", "generate", "--ci", "-w", join(work, "other.key"), "-p", ""]);
  tauri(["signer", "sign", "-k", readFileSync(join(work, "other.key"), "utf8"), "-p", "", update]);
  const badSignature = readFileSync(`${update}.sig`, "utf8");

  let signature = badSignature;
  const server = createServer((req, res) => {
    if (req.url === "/update.deb") {
      res.setHeader("Content-Type", "application/octet-stream");
      res.end(readFileSync(update));
      return;
    }
    const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
    const platform = { signature, url: `http://127.0.0.1:${port}/update.deb` };
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ version: next, notes: "Test release", platforms: { "linux-x86_64-deb": platform, "linux-x86_64": platform } }));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  // Installing a .deb asks for the administrator's password through pkexec; as root in this
  // test, a stand-in runs the command directly.
  const bin = join(work, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "pkexec"), '#!/bin/sh\nexec "$@"\n');
  chmodSync(join(bin, "pkexec"), 0o755);
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  const updating = await startDriver({
    SIGNIN_DOCTOR_DATA_DIR: mkdtempSync(join(tmpdir(), "signin-doctor-updating-")),
    SIGNIN_DOCTOR_UPDATE_URL: `http://127.0.0.1:${port}/latest.json`,
    SIGNIN_DOCTOR_UPDATE_PUBKEY: pubkey,
    PATH: `${bin}:${process.env.PATH}`,
  });
  try {
    const session = await Session.start(updating.url, "/usr/bin/signin-doctor-app");
    // About redraws its update box when a check answers, so an element found just before may
    // be gone by the click: find it again then.
    const click = async (selector) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await (await session.find(selector)).click();
          return;
        } catch (e) {
          if (attempt >= 5 || !/stale element/i.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    // The dialog keeps its last content while closed and fills in again when opened, so every
    // element is looked for inside the open dialog.
    const inDialog = (selector) => `[data-testid=about-dialog][open] ${selector}`;
    const install = async () => {
      await click("[data-testid=open-about]");
      await session.waitFor(inDialog("[data-action=check-update]"));
      await click(inDialog("[data-action=check-update]"));
      // The click swaps any earlier answer for "Checking…"; the check is over when its button
      // can be pressed again, and its answer is the update box shown then.
      const deadline = Date.now() + 20000;
      while (await session.execute(`const b = document.querySelector(${JSON.stringify(inDialog("[data-action=check-update]"))});
        return !b || b.disabled;`)) {
        assert.ok(Date.now() < deadline, "the update check answered");
        await new Promise((r) => setTimeout(r, 100));
      }
      await session.waitFor(inDialog("[data-testid=update-available]"), (text) => text.includes(`Version ${next} is available.`));
      await click(inDialog("[data-action=install-update]"));
    };
    // A download whose signature does not match the app's key is refused and nothing changes.
    await install();
    await session.waitFor(inDialog("[data-role=install-progress]"), (text) => /signature/i.test(text), 30000);
    assert.equal(installedVersion(), version);
    await click(inDialog("[data-action=close-about]"));
    // The properly signed one is installed, and the app restarts.
    signature = goodSignature;
    await install();
    const deadline = Date.now() + 60000;
    while (installedVersion() !== next && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.equal(installedVersion(), next, "the update was installed");
    // dpkg records the new version before it has finished (triggers, its lock): wait for the
    // installer the app started to end, as the person would before doing anything else.
    const settled = Date.now() + 60000;
    while (spawnSync("pgrep", ["-x", "dpkg"]).status === 0 && Date.now() < settled) await new Promise((r) => setTimeout(r, 250));
    assert.notEqual(spawnSync("pgrep", ["-x", "dpkg"]).status, 0, "the update's installer finished");
  } finally {
    updating.stop();
    server.close();
  }
});

test("removing the package takes the app and the command line away", () => {
  asRoot("dpkg", ["-r", packageName]);
  assert.ok(!existsSync("/usr/bin/signin-doctor-app"));
  assert.ok(!existsSync("/usr/bin/signin-doctor"));
});
