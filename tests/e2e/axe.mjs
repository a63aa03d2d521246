// axe-core in the app's real webview: `audit` runs it on what is on screen, in the light and the
// dark theme, and collects its serious and critical violations as readable text.
//
// axe's source reaches the page as the body of a WebDriver script: the automation channel is not
// subject to the page's Content Security Policy, so the app's CSP stays strict ('self' only).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const axeSource = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe on the page as it is and returns its serious and critical violations, each as a
 * few readable lines.
 * @param {import("./webdriver.mjs").Session} session
 * @returns {Promise<string[]>}
 */
async function axeViolations(session) {
  if (!(await session.execute("return typeof window.axe === 'object'"))) {
    await session.execute(`${axeSource}\n;return typeof window.axe;`);
  }
  const result = await session.executeAsync(
    `const done = arguments[arguments.length - 1];
     axe.run(document, { resultTypes: ["violations"] }).then(
       (r) => done({ violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
         nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160), why: n.failureSummary })) })) }),
       (e) => done({ error: String(e) }));`,
  );
  assert.ok(!result.error, `axe could not run: ${result.error}`);
  return result.violations
    .filter((/** @type {any} */ v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (/** @type {any} */ v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.url}\n` +
        v.nodes
          .slice(0, 6)
          .map((/** @type {any} */ n) => `    - ${n.target}\n      ${n.html}\n      ${n.why.replace(/\n\s*/g, " ")}`)
          .join("\n") +
        (v.nodes.length > 6 ? `\n    … and ${v.nodes.length - 6} more` : ""),
    );
}

/**
 * Audits what is on screen now in both themes (the theme is the `data-theme` attribute the app
 * itself sets), recording problems under `name`, and leaves the theme as it found it.
 * @param {import("./webdriver.mjs").Session} session
 * @param {string} name
 * @param {string[]} problems
 */
export async function audit(session, name, problems) {
  const original = await session.execute("return document.documentElement.dataset.theme");
  try {
    for (const theme of ["light", "dark"]) {
      await session.execute("document.documentElement.dataset.theme = arguments[0]", [theme]);
      for (const v of await axeViolations(session)) problems.push(`[${name} · ${theme}] ${v}`);
    }
  } finally {
    await session.execute("document.documentElement.dataset.theme = arguments[0]", [original]);
  }
}
