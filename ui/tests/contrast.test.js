// The colours of both themes meet WCAG 2.1 AA: 4.5:1 for text on the backgrounds it is drawn
// on, 3:1 for what shows where a control is or where the focus is. Read from the stylesheet's
// tokens, so a colour change that breaks a pair fails here (axe checks the text on screen too,
// in the end-to-end audit; this also covers states it does not see, like hover and focus).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const css = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../styles/app.css"), "utf8");

/** The `--name: #rrggbb` tokens of the first rule with this selector. @param {string} selector */
function tokens(selector) {
  const start = css.indexOf(`${selector} {`);
  assert.ok(start >= 0, `the stylesheet has ${selector}`);
  const body = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\b/g)].map((m) => [m[1], m[2]]));
}

/** Relative luminance, as WCAG defines it. @param {string} hex */
function luminance(hex) {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** @param {string} a @param {string} b */
function ratio(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const light = tokens(":root");
const themes = { light, dark: { ...light, ...tokens(':root[data-theme="dark"]') } };

// [foreground, background]: text the app draws on that background.
const TEXT = [
  ...["bg", "surface", "surface-2", "accent-soft", "neutral-bg"].flatMap((bg) => [["text", bg], ["text-muted", bg]]),
  ["accent", "surface"],
  ["accent", "surface-2"],
  ["accent", "accent-soft"],
  ["on-accent", "accent"],
  ["on-accent", "accent-hover"],
  ["on-accent", "bad-text"],
  ["surface", "bad-text"],
  ["ok-text", "ok-bg"],
  ["warn-text", "warn-bg"],
  ["warn-text", "surface"],
  ["bad-text", "bad-bg"],
  ["bad-text", "surface"],
  ["neutral-text", "neutral-bg"],
];

// [indicator, background]: focus rings, the edges of fields, the selected tab's line.
const NON_TEXT = [
  ...["bg", "surface", "surface-2", "accent-soft"].map((bg) => ["focus", bg]),
  ["control-border", "surface"],
  ["control-border", "surface-2"],
  ["accent", "surface-2"],
];

for (const [name, colours] of Object.entries(themes)) {
  test(`the ${name} theme's text has at least 4.5:1 contrast`, () => {
    const low = TEXT.map(([fg, bg]) => [fg, bg, ratio(colours[fg], colours[bg])]).filter(([, , r]) => r < 4.5);
    assert.deepEqual(low.map(([fg, bg, r]) => `${fg} on ${bg}: ${Number(r).toFixed(2)}:1`), []);
  });

  test(`the ${name} theme's focus ring and control edges have at least 3:1 contrast`, () => {
    const low = NON_TEXT.map(([fg, bg]) => [fg, bg, ratio(colours[fg], colours[bg])]).filter(([, , r]) => r < 3);
    assert.deepEqual(low.map(([fg, bg, r]) => `${fg} on ${bg}: ${Number(r).toFixed(2)}:1`), []);
  });
}

test("the contrast formula gives WCAG's figures", () => {
  assert.equal(ratio("#000000", "#ffffff").toFixed(0), "21");
  assert.equal(ratio("#777777", "#ffffff").toFixed(2), "4.48");
});
