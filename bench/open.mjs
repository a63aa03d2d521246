// How long the desktop app takes to open on a large workspace: from asking tauri-driver to
// start the app to the results table showing the workspace's count and its newest sign-in.
// Run through bench/open.sh, which gives it a display and a D-Bus session.
//
//   node bench/open.mjs [-n RUNS] WORKSPACE [APP_BINARY]
//
// Each run copies WORKSPACE into a fresh data folder (the copy is not timed), starts the app
// on it and waits, polling in the page every animation frame, until the count and the first
// row are drawn. The time includes WebDriver's own start of the app, so it is an upper bound
// of what a person sees. Prints each run and the median.

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDriver, Session } from "../tests/e2e/webdriver.mjs";

const args = process.argv.slice(2);
let runs = 3;
if (args[0] === "-n") {
  runs = Number(args[1]);
  args.splice(0, 2);
}
const [workspace, appArg] = args;
if (!workspace || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: node bench/open.mjs [-n RUNS] WORKSPACE [APP_BINARY]");
  process.exit(2);
}
const app = resolve(appArg ?? "target/release/signin-doctor-app");

// Resolves, in the page, with the time at which the count and the first row were both drawn.
const drawn = `const done = arguments[arguments.length - 1];
  const look = () => {
    const count = document.querySelector('[data-testid=results-count]');
    const row = document.querySelector("[data-testid=results-table] tbody tr[aria-rowindex='2']");
    if (count && /\\d/.test(count.textContent) && row && row.offsetHeight > 0) {
      done({ at: Date.now(), count: count.textContent.trim() });
    } else {
      requestAnimationFrame(look);
    }
  };
  look();`;

const times = [];
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), "signin-open-"));
  copyFileSync(workspace, join(dataDir, "workspace.sqlite"));
  const driver = await startDriver({ SIGNIN_DOCTOR_DATA_DIR: dataDir }, join(dataDir, "driver.log"));
  try {
    const started = Date.now();
    const session = await Session.start(driver.url, app);
    try {
      const { at, count } = await session.executeAsync(drawn);
      const seconds = (at - started) / 1000;
      times.push(seconds);
      console.log(`run ${run}: ${seconds.toFixed(2)} s to "${count}" and the newest row`);
    } finally {
      await session.quit();
    }
  } finally {
    driver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
times.sort((a, b) => a - b);
console.log(`opened with results shown: ${times[(runs - 1) >> 1].toFixed(2)} s (median of ${runs})`);
