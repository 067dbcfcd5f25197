// @ts-check
/** One record: its value pretty-printed, forms to edit it and its expiry, and a confirmed delete. */
import { api, recordPath } from "./api.js";
import { confirmAction } from "./dialog.js";
import { h, replace, field, errorLine, runForm } from "./dom.js";
import { formatBytes, formatExpiry, formatTimeLeft, prettyJson } from "./format.js";
import { storeHash, storesHash } from "./routes.js";
import { flash, showStatus } from "./shell.js";
import { valueTypeField } from "./store-forms.js";

/**
 * @typedef {{ key: string, value: unknown, type: string, bytes: number, expiresAt: string | null, ttlSeconds: number | null, internal: boolean }} StoredRecord
 */

/**
 * @param {HTMLElement} outlet
 * @param {{ store: string, key: string }} route
 */
export function recordView(outlet, { store, key }) {
  const heading = h("h1", { tabindex: "-1", class: "record-key mono" }, key);
  const facts = h("dl", { class: "facts" });
  const body = h("div", { class: "record-body" }, h("p", { class: "muted" }, "Loading…"));
  outlet.append(
    h(
      "nav",
      { class: "breadcrumbs", "aria-label": "Breadcrumbs" },
      h("a", { href: storesHash() }, "Data stores"),
      h("span", { "aria-hidden": "true" }, " / "),
      h("a", { href: storeHash(store) }, store),
      h("span", { "aria-hidden": "true" }, " / "),
    ),
    h("header", { class: "page-header" }, h("div", {}, heading, facts)),
    body,
  );

  const load = async () => {
    try {
      /** @type {StoredRecord} */
      const record = await api(recordPath(store, key));
      show(record);
    } catch (problem) {
      replace(
        body,
        h("p", { class: "load-error", role: "alert" }, problem instanceof Error ? problem.message : String(problem)),
        h("p", {}, h("a", { href: storeHash(store) }, `Back to the records of ${store}`)),
      );
    }
  };

  /** @param {StoredRecord} record */
  function show(record) {
    replace(
      facts,
      fact("Type", h("span", { class: `type type-${record.type}` }, record.type)),
      fact("Size", `${formatBytes(record.bytes)} as JSON`),
      fact("Expires", h("span", { title: formatExpiry(record.expiresAt) }, formatTimeLeft(record.ttlSeconds))),
      record.internal ? fact("Kind", h("span", { class: "badge" }, "internal")) : null,
    );
    const valueCard = h("section", { class: "card value-card", "aria-label": "Record value" });
    const showValue = () => {
      const editButton = h("button", { type: "button", class: "button" }, "Edit value");
      replace(
        valueCard,
        h("div", { class: "card-header" }, h("h2", { id: "value-heading" }, "Value"), record.internal ? null : editButton),
        h("pre", { class: "value mono", tabindex: "0", "aria-label": "Stored value" }, prettyJson(record.value)),
      );
      editButton.addEventListener("click", () => {
        replace(valueCard, editForm(record, showValue));
        valueCard.querySelector("textarea")?.focus();
      });
    };
    showValue();
    const side = record.internal
      ? [
          h(
            "section",
            { class: "card form-card" },
            h("h2", {}, "Internal record"),
            h("p", {}, "The package keeps its own state here (a counter, a rate limit, a dedupe mark). The dashboard does not edit it; deleting it resets that state."),
          ),
        ]
      : [ttlForm(record)];
    replace(
      body,
      h("div", { class: "layout" }, h("div", { class: "main-column" }, valueCard), h("aside", { class: "side-column" }, ...side, deleteSection(record))),
    );
  }

  /**
   * The value in a text area, saved with the actions' Value Type rules; Cancel goes back unchanged.
   * @param {StoredRecord} record
   * @param {() => void} cancel
   */
  function editForm(record, cancel) {
    // A text value is edited as the text itself (Value Type string); anything else as its JSON.
    const isText = typeof record.value === "string";
    const text = isText ? /** @type {string} */ (record.value) : prettyJson(record.value);
    const value = h("textarea", { name: "value", rows: String(Math.min(24, Math.max(6, text.split("\n").length + 1))), spellcheck: "false", class: "mono" });
    value.value = text;
    const valueType = valueTypeField(isText ? "string" : "json");
    const error = errorLine();
    const submit = h("button", { type: "submit", class: "button primary" }, "Save value");
    const cancelButton = h("button", { type: "button", class: "button" }, "Cancel");
    cancelButton.addEventListener("click", cancel);
    const form = h(
      "form",
      { class: "edit-form", "aria-labelledby": "edit-heading" },
      h("div", { class: "card-header" }, h("h2", { id: "edit-heading" }, "Edit value")),
      field("Value", value),
      valueType.element,
      error.element,
      h("div", { class: "form-buttons" }, submit, cancelButton),
    );
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") cancel();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const saved = await runForm(
        error,
        [submit],
        async () => {
          show(await api(recordPath(store, key), { method: "PUT", json: { value: value.value, valueType: valueType.select.value } }));
          showStatus("Saved the value.");
        },
        (message) => [/nothing was saved/i.test(message) ? message : `${message} Nothing was saved.`],
      );
      if (!saved) value.focus();
    });
    return form;
  }

  /** @param {StoredRecord} record */
  function ttlForm(record) {
    const ttl = h("input", { type: "text", name: "ttl", inputmode: "numeric", autocomplete: "off", placeholder: "e.g. 3600" });
    const error = errorLine();
    const setButton = h("button", { type: "submit", class: "button primary" }, "Set TTL");
    const clearButton = record.ttlSeconds === null ? null : h("button", { type: "button", class: "button" }, "Remove expiry");
    const form = h(
      "form",
      { class: "card form-card", "aria-labelledby": "ttl-heading" },
      h("h2", { id: "ttl-heading" }, "Expiry"),
      h("p", { class: "muted" }, record.ttlSeconds === null ? "This record never expires." : `This record expires ${formatTimeLeft(record.ttlSeconds)}.`),
      field("TTL (seconds)", ttl, "Seconds from now until the record expires (0 for never)."),
      error.element,
      h("div", { class: "form-buttons" }, setButton, clearButton),
    );
    /** @param {string | null} seconds */
    const save = (seconds) =>
      runForm(error, [setButton, clearButton], async () => {
        const saved = await api(`${recordPath(store, key)}/ttl`, { method: "PUT", json: { ttl: seconds } });
        show(saved);
        showStatus(saved.ttlSeconds === null ? "The record no longer expires." : `The record expires ${formatTimeLeft(saved.ttlSeconds)}.`);
      });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(ttl.value);
    });
    clearButton?.addEventListener("click", () => save(null));
    return form;
  }

  /** @param {StoredRecord} record */
  function deleteSection(record) {
    const button = h("button", { type: "button", class: "button danger" }, "Delete record");
    button.addEventListener("click", () =>
      confirmAction({
        title: `Delete record “${record.key}”?`,
        body: [`It goes from the data store ${store}. This cannot be undone.`],
        confirmLabel: "Delete",
        action: async () => {
          await api(recordPath(store, key), { method: "DELETE" });
          flash(`Deleted “${record.key}”.`);
          location.hash = storeHash(store);
        },
      }),
    );
    return h("section", { class: "card form-card danger-zone", "aria-labelledby": "delete-heading" }, h("h2", { id: "delete-heading" }, "Delete"), button);
  }

  load();
  return { heading };
}

/** @param {string} term @param {string | Node} detail */
function fact(term, detail) {
  return h("div", {}, h("dt", {}, term), h("dd", {}, detail));
}
