// @ts-check
/**
 * The forms beside a data store's records: add a record, import a file, delete the data store.
 * Each checks nothing the server checks: the API runs the actions' own parsers and its message
 * shows next to the form that caused it.
 */
import { ApiError, api, storePath } from "./api.js";
import { confirmAction } from "./dialog.js";
import { h, field, errorLine, runForm } from "./dom.js";
import { formatCount } from "./format.js";
import { recordHash, storesHash } from "./routes.js";
import { flash, showStatus } from "./shell.js";

/** What each Value Type does, in the actions' words. */
const VALUE_TYPE_HINTS = {
  auto: "Valid JSON is stored as JSON (42, true, {…}); other text as text.",
  string: "Stored as text exactly as typed, even if it looks like JSON.",
  json: "Must be valid JSON; anything else is refused and nothing is saved.",
};

/**
 * The Value Type field, as the actions name it; its hint explains the current choice.
 * @param {"auto" | "string" | "json"} initial
 */
export function valueTypeField(initial) {
  const select = h(
    "select",
    { name: "valueType" },
    Object.keys(VALUE_TYPE_HINTS).map((type) => h("option", { value: type }, type)),
  );
  select.value = initial;
  const hint = () => VALUE_TYPE_HINTS[/** @type {keyof VALUE_TYPE_HINTS} */ (select.value)] ?? "";
  const element = field("Value Type", select, hint());
  select.addEventListener("change", () => {
    const hintElement = element.querySelector(".hint");
    if (hintElement) hintElement.textContent = hint();
  });
  return { element, select };
}

/**
 * @param {string} store
 * @param {() => void} onAdded refreshes the table and counts
 */
export function addRecordForm(store, onAdded) {
  const key = h("input", { type: "text", name: "key", autocomplete: "off", spellcheck: "false", class: "mono" });
  const value = h("textarea", { name: "value", rows: "4", spellcheck: "false", class: "mono" });
  const valueType = valueTypeField("auto");
  const ttl = h("input", { type: "text", name: "ttl", inputmode: "numeric", autocomplete: "off", placeholder: "never" });
  const error = errorLine();
  const submit = h("button", { type: "submit", class: "button primary" }, "Add record");
  const form = h(
    "form",
    { class: "card form-card", "aria-labelledby": "add-heading" },
    h("h2", { id: "add-heading" }, "Add a record"),
    field("Key", key),
    field("Value", value),
    valueType.element,
    field("TTL (seconds)", ttl, "Seconds until the record expires; empty for never."),
    error.element,
    h("div", { class: "form-buttons" }, submit),
  );
  /** A key that exists already: the message, and a link to that record. */
  const explain = (/** @type {string} */ message, /** @type {unknown} */ problem) => {
    const exists = problem instanceof ApiError && problem.status === 409;
    return /** @type {[string, ...import("./dom.js").Child[]]} */ ([message, exists ? " " : null, exists ? h("a", { href: recordHash(store, key.value) }, "Open it") : null]);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runForm(error, [submit], async () => {
      const record = await api(`${storePath(store)}/records`, {
        method: "POST",
        json: { key: key.value, value: value.value, valueType: valueType.select.value, ttl: ttl.value.trim() === "" ? null : ttl.value },
      });
      showStatus(`Added “${record.key}”.`);
      key.value = "";
      value.value = "";
      ttl.value = "";
      key.focus();
      onAdded();
    }, explain);
  });
  return form;
}

/**
 * @param {string} store
 * @param {() => void} onImported
 */
export function importForm(store, onImported) {
  const file = h("input", { type: "file", name: "file", accept: ".json,.ndjson,.jsonl,.csv,application/json,text/csv" });
  const format = h(
    "select",
    { name: "format" },
    h("option", { value: "" }, "From the file name"),
    h("option", { value: "json" }, "JSON"),
    h("option", { value: "ndjson" }, "NDJSON"),
    h("option", { value: "csv" }, "CSV"),
  );
  const error = errorLine();
  const submit = h("button", { type: "submit", class: "button" }, "Import");
  const form = h(
    "form",
    { class: "card form-card", "aria-labelledby": "import-heading" },
    h("h2", { id: "import-heading" }, "Import"),
    field("File to import", file, "JSON, NDJSON, or CSV with key,value[,ttl] columns. Every row is checked first: one bad row and nothing is imported."),
    field("Format", format),
    error.element,
    h("div", { class: "form-buttons" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runForm(error, [submit], async () => {
      const chosen = file.files?.[0];
      if (!chosen) throw new Error("Choose a file to import.");
      const query = new URLSearchParams({ filename: chosen.name });
      if (format.value !== "") query.set("format", format.value);
      const answer = await api(`${storePath(store)}/import?${query}`, { method: "POST", body: await chosen.text(), contentType: "text/plain; charset=utf-8" });
      showStatus(`Imported ${formatCount(answer.imported, "record")} from ${chosen.name} (${answer.format.toUpperCase()}).`);
      form.reset();
      onImported();
    });
  });
  return form;
}

/** The button that deletes the data store, after its name is typed in a dialog. @param {string} store */
export function deleteStoreButton(store) {
  return h(
    "button",
    {
      type: "button",
      class: "button danger",
      onclick: () =>
        confirmAction({
          title: `Delete data store “${store}”?`,
          body: ["Every record goes, the package's internal records and the sources' memory of it too. This cannot be undone."],
          confirmLabel: "Delete data store",
          typedName: store,
          action: async (typed) => {
            const answer = await api(storePath(store), { method: "DELETE", json: { confirmName: typed } });
            flash(`Deleted data store “${store}” and its ${formatCount(answer.deletedRecords, "record")}.`);
            location.hash = storesHash();
          },
        }),
    },
    "Delete data store",
  );
}
