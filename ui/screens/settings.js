// Settings: the language of the window. On first start the window speaks the system's language;
// a choice made here is remembered (the webview keeps localStorage across restarts) and applied
// at once, to this dialog and to the screen behind it.

import { html, mount } from "../lib/html.js";
import { language, languageName, languages, systemLanguage, t } from "../lib/i18n.js";

const KEY = "language";

/** The language chosen in Settings, or null to follow the system. */
export function savedLanguage() {
  const saved = localStorage.getItem(KEY);
  return saved && languages().includes(saved) ? saved : null;
}

/**
 * Opens the Settings dialog.
 * @param {{onLanguage: () => Promise<void>}} actions `onLanguage` applies the language saved
 *   (or the system's, when none is) to the whole window
 */
export function showSettings(actions) {
  const dialog = /** @type {HTMLDialogElement} */ (document.querySelector("[data-testid=settings-dialog]"));
  const draw = () => {
    const chosen = savedLanguage() ?? "system";
    const system = systemLanguage(navigator.languages ?? [navigator.language]);
    mount(
      dialog,
      html`<div class="about settings">
        <h2 id="settings-title">${t("settings.title")}</h2>
        <fieldset class="field bare">
          <legend id="settings-language">${t("settings.language")}</legend>
          <div class="choices" role="radiogroup" aria-labelledby="settings-language" aria-describedby="settings-language-hint">
            ${["system", ...languages()].map(
              (value) => html`<label class="choice" data-testid="language-${value}">
                <input type="radio" name="language" value="${value}" ${value === chosen ? html`checked` : ""} />
                <span class="choice-text"><span class="choice-title" lang="${value === "system" ? language() : value}">${value === "system"
                  ? t("settings.language.system", { name: languageName(system) })
                  : languageName(value)}</span></span>
              </label>`,
            )}
          </div>
          <p class="hint" id="settings-language-hint">${t("settings.languageHint")}</p>
        </fieldset>
        <div class="form-actions">
          <button type="button" class="btn btn-primary" data-action="close-settings">${t("settings.close")}</button>
        </div>
      </div>`,
    );
    dialog.setAttribute("aria-labelledby", "settings-title");
    dialog.querySelector("[data-action=close-settings]")?.addEventListener("click", () => dialog.close());
    for (const radio of dialog.querySelectorAll("input[name=language]")) {
      radio.addEventListener("change", async () => {
        const value = /** @type {HTMLInputElement} */ (radio).value;
        if (value === "system") localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, value);
        await actions.onLanguage();
        draw();
        /** @type {HTMLElement | null} */ (dialog.querySelector(`input[name=language][value="${value}"]`))?.focus();
      });
    }
  };
  draw();
  dialog.showModal();
  /** @type {HTMLElement | null} */ (dialog.querySelector("input[name=language]:checked"))?.focus();
}
