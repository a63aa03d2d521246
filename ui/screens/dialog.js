// What every dialog does for the keyboard and screen readers. The app's dialogs are native
// `<dialog>`s opened with `showModal()` (focus moves in, the page behind is inert, Escape
// closes), and closing one returns the focus to where it was. The progress panels are not
// native dialogs: while one is up, `blockPage` makes the page behind it inert and Escape presses
// its Cancel button.

/** The element that last had the focus outside any dialog: where the focus goes back to. */
let lastOutside = /** @type {HTMLElement | null} */ (null);

document.addEventListener("focusin", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  if (!target.closest("dialog, [role=dialog]")) lastOutside = target;
});

// `close` does not bubble; listening while it is captured hears every dialog's.
document.addEventListener(
  "close",
  (event) => {
    if (!(event.target instanceof HTMLDialogElement)) return;
    if (lastOutside?.isConnected && !lastOutside.closest("[hidden], [inert]")) lastOutside.focus();
  },
  true,
);

/**
 * Makes the page behind a progress panel inert (no focus, no clicks, hidden from screen
 * readers) and lets Escape press `cancel`. Returns the function that undoes both.
 * @param {HTMLButtonElement} cancel
 */
export function blockPage(cancel) {
  const behind = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("body > header, body > main")]);
  for (const element of behind) element.inert = true;
  const onKey = (/** @type {KeyboardEvent} */ event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!cancel.disabled) cancel.click();
  };
  document.addEventListener("keydown", onKey);
  return () => {
    for (const element of behind) element.inert = false;
    document.removeEventListener("keydown", onKey);
    if (lastOutside?.isConnected && document.activeElement === document.body) lastOutside.focus();
  };
}
