// @ts-check
/** The first page: every data store of the file, with counts and sizes, and a form to create one. */
import { api, storePath } from "./api.js";
import { h, replace, field, errorLine, runForm } from "./dom.js";
import { formatBytes, formatCount, formatNumber } from "./format.js";
import { storeHash } from "./routes.js";
import { flash, setStoreFile } from "./shell.js";

/**
 * @param {HTMLElement} outlet
 * @returns {{ heading: HTMLElement }}
 */
export function storesView(outlet) {
  const heading = h("h1", { tabindex: "-1" }, "Data stores");
  const lead = h("p", { class: "lead" }, "Loading…");
  const list = h("div", { class: "card table-card" });

  const nameInput = h("input", { type: "text", name: "name", autocomplete: "off", spellcheck: "false", maxlength: "200" });
  const error = errorLine();
  const createButton = h("button", { type: "submit", class: "button primary" }, "Create data store");
  const form = h(
    "form",
    { class: "card form-card", "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading" }, "New data store"),
    field("Data store name", nameInput, "Components name it in their Data Store prop; records appear as they write."),
    error.element,
    h("div", { class: "form-buttons" }, createButton),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const created = await runForm(error, [createButton], async () => {
      const { name } = await api("/api/data-stores", { method: "POST", json: { name: nameInput.value } });
      flash(`Created data store “${name}”.`);
      location.hash = storeHash(name);
    });
    if (!created) nameInput.focus();
  });

  outlet.append(
    h("header", { class: "page-header" }, h("div", {}, heading, lead)),
    h("div", { class: "layout" }, h("section", { class: "main-column", "aria-label": "Data stores" }, list), h("aside", { class: "side-column" }, form)),
  );

  load(lead, list).catch((problem) => {
    lead.textContent = "";
    replace(list, h("p", { class: "load-error", role: "alert" }, problem instanceof Error ? problem.message : String(problem)));
  });
  return { heading };
}

/**
 * @param {HTMLElement} lead
 * @param {HTMLElement} list
 */
async function load(lead, list) {
  /** @type {{ storeFile: string, dataStores: { name: string, records: number, internalRecords: number }[] }} */
  const answer = await api("/api/data-stores");
  setStoreFile(answer.storeFile);
  const { dataStores } = answer;
  const totalRecords = dataStores.reduce((sum, store) => sum + store.records, 0);
  lead.textContent =
    dataStores.length === 0 ? "This store file holds no data stores yet." : `${formatCount(dataStores.length, "data store")} · ${formatCount(totalRecords, "record")} in all`;
  if (dataStores.length === 0) {
    replace(
      list,
      h(
        "div",
        { class: "empty" },
        h("p", { class: "empty-title" }, "No data stores yet"),
        h("p", {}, "Create one with the form, or run a component with `dskit run`: the data stores it writes appear here."),
      ),
    );
    return;
  }
  const rows = dataStores.map((store) => {
    const jsonCell = h("td", { class: "num muted" }, "…");
    const brotliCell = h("td", { class: "num muted" }, "…");
    // Sizes cost a pass over the store: they fill in after the list shows.
    api(storePath(store.name))
      .then((stats) => {
        jsonCell.textContent = formatBytes(stats.jsonBytes);
        brotliCell.textContent = formatBytes(stats.brotliBytes);
        jsonCell.classList.remove("muted");
        brotliCell.classList.remove("muted");
      })
      .catch(() => {
        jsonCell.textContent = "—";
        brotliCell.textContent = "—";
      });
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, h("a", { href: storeHash(store.name), class: "store-link" }, store.name)),
      h("td", { class: "num" }, formatNumber(store.records)),
      h("td", { class: "num muted" }, store.internalRecords === 0 ? "—" : formatNumber(store.internalRecords)),
      jsonCell,
      brotliCell,
    );
  });
  replace(
    list,
    h(
      "table",
      { class: "data-table" },
      h("caption", { class: "visually-hidden" }, "Data stores with their record counts and sizes"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Name"),
          h("th", { scope: "col", class: "num" }, "Records"),
          h("th", { scope: "col", class: "num", title: "The package's own state (counters, limits, dedupe marks), kept under __dskit: keys" }, "Internal"),
          h("th", { scope: "col", class: "num" }, "Size as JSON"),
          h("th", { scope: "col", class: "num" }, "After Brotli"),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}
