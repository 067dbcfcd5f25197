// @ts-check
/**
 * Confirmations for destructive actions, in an in-page <dialog> (never window.confirm), so users
 * and tests see the same thing. The action runs from the dialog: a refusal shows inside it.
 */
import { h, field, errorLine, runForm } from "./dom.js";

/**
 * Opens a modal dialog asking to confirm; resolves true when the action ran, false when cancelled.
 * @param {{
 *   title: string,
 *   body: (string | Node)[],
 *   confirmLabel: string,
 *   typedName?: string,
 *   action: (typed: string) => Promise<void>,
 * }} options  With `typedName`, the confirm button stays disabled until that exact text is typed.
 * @returns {Promise<boolean>}
 */
export function confirmAction({ title, body, confirmLabel, typedName, action }) {
  return new Promise((resolve) => {
    const titleId = `dialog-title-${Date.now()}`;
    const error = errorLine();
    const confirmButton = h("button", { type: "submit", class: "button danger" }, confirmLabel);
    const cancelButton = h("button", { type: "button", class: "button", value: "cancel" }, "Cancel");
    const typed = h("input", { type: "text", autocomplete: "off", spellcheck: "false", class: "mono" });
    const typedField =
      typedName === undefined ? null : field("Confirm name", typed, ["Type ", h("strong", { class: "mono" }, typedName), " to confirm."]);
    if (typedName !== undefined) confirmButton.disabled = true;
    typed.addEventListener("input", () => {
      confirmButton.disabled = typed.value !== typedName;
    });

    let done = false;
    const form = h(
      "form",
      { method: "dialog", class: "dialog-form" },
      h("h2", { id: titleId }, title),
      ...body.map((part) => (typeof part === "string" ? h("p", {}, part) : part)),
      typedField,
      error.element,
      h("div", { class: "dialog-buttons" }, cancelButton, confirmButton),
    );
    const dialog = h("dialog", { "aria-labelledby": titleId }, form);

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (typedName !== undefined && typed.value !== typedName) return;
      await runForm(error, [confirmButton, cancelButton], async () => {
        await action(typed.value);
        done = true;
        dialog.close();
      });
    });
    cancelButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(done);
    });

    document.body.append(dialog);
    dialog.showModal();
    (typedName === undefined ? cancelButton : typed).focus();
  });
}
