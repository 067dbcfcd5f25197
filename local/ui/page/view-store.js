// @ts-check
/**
 * One data store: its counts and sizes, its records paged on the server (a store of 100,000 opens
 * as fast as one of 10), search by key prefix, and the forms to add, import, export and delete.
 */
import { ApiError, api, storePath } from "./api.js";
import { h, replace } from "./dom.js";
import { formatBytes, formatCount, formatExpiry, formatNumber, formatTimeLeft } from "./format.js";
import { addRecordForm, deleteStoreButton, importForm } from "./store-forms.js";
import { recordHash, storeHash, storesHash } from "./routes.js";

export const PAGE_SIZE = 50;

/**
 * @typedef {{ kind: "store", store: string, prefix: string, page: number, internal: boolean }} StoreRoute
 * @typedef {{ key: string, preview: string, type: string, bytes: number, expiresAt: string | null, ttlSeconds: number | null, internal: boolean }} RecordRow
 */

/**
 * @param {HTMLElement} outlet
 * @param {StoreRoute} initial
 */
export function storeView(outlet, initial) {
  let route = initial;
  const { store } = route;
  const heading = h("h1", { tabindex: "-1", class: "store-name" }, store);
  const stats = h("p", { class: "lead" }, "Counting…");
  const exportLink = h("a", { class: "button", href: exportHref(route), download: `${store}.json` }, "Export JSON");

  const prefixInput = h("input", { type: "search", name: "prefix", autocomplete: "off", spellcheck: "false", placeholder: "e.g. user:", value: route.prefix });
  prefixInput.id = "prefix";
  const internalBox = h("input", { type: "checkbox", name: "internal", id: "show-internal", checked: route.internal });
  const searchForm = h(
    "form",
    { role: "search", class: "search", "aria-label": "Find records" },
    h("label", { for: "prefix" }, "Key prefix"),
    prefixInput,
    h("button", { type: "submit", class: "button" }, "Search"),
    h("span", { class: "checkbox" }, internalBox, h("label", { for: "show-internal" }, "Show internal records")),
  );
  /** @param {boolean} replaceEntry */
  const go = (replaceEntry) => {
    const hash = storeHash(store, { prefix: prefixInput.value, internal: internalBox.checked });
    if (hash === location.hash) return;
    if (replaceEntry) location.replace(hash);
    else location.hash = hash;
  };
  let typing = 0;
  prefixInput.addEventListener("input", () => {
    clearTimeout(typing);
    // Typing refines one search: it replaces the history entry rather than adding one per key.
    typing = window.setTimeout(() => go(true), 200);
  });
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    go(false);
  });
  internalBox.addEventListener("change", () => go(false));

  const table = h("div", { class: "table-scroll" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages of records" });
  // Records first: the sizes are a pass over the whole store, the first page is one indexed query.
  const refresh = () => loadRecords().then(loadStats);

  const actions = h("div", { class: "page-actions" }, exportLink, deleteStoreButton(store));
  const layout = h(
    "div",
    { class: "layout" },
    h("section", { class: "main-column card table-card", "aria-label": "Records" }, searchForm, table, pager),
    h("aside", { class: "side-column" }, addRecordForm(store, refresh), importForm(store, refresh)),
  );
  outlet.append(
    h("nav", { class: "breadcrumbs", "aria-label": "Breadcrumbs" }, h("a", { href: storesHash() }, "Data stores"), h("span", { "aria-hidden": "true" }, " / ")),
    h("header", { class: "page-header" }, h("div", {}, heading, stats), actions),
    layout,
  );

  /** An address naming a data store that is not there (deleted, or a typo): say so, offer the list. */
  const showMissing = () => {
    stats.textContent = "";
    actions.remove();
    replace(
      layout,
      h(
        "div",
        { class: "card empty main-column" },
        h("p", { class: "empty-title" }, `No data store named “${store}”`),
        h("p", {}, "It may have been deleted, or the address has a typo."),
        h("p", {}, h("a", { href: storesHash() }, "See the data stores"), ", or create it there."),
      ),
    );
  };

  let statsLoad = 0;
  async function loadStats() {
    const ticket = ++statsLoad;
    try {
      const answer = await api(storePath(store));
      if (ticket !== statsLoad) return;
      const parts = [formatCount(answer.records, "record"), `${formatBytes(answer.jsonBytes)} as JSON`, `${formatBytes(answer.brotliBytes)} after Brotli`];
      if (answer.internalRecords > 0) parts.push(`+ ${formatCount(answer.internalRecords, "internal record")}`);
      stats.textContent = parts.join(" · ");
    } catch (problem) {
      if (ticket !== statsLoad) return;
      if (problem instanceof ApiError && problem.status === 404) return showMissing();
      stats.textContent = problem instanceof Error ? problem.message : String(problem);
      stats.classList.add("load-error");
    }
  }

  let recordsLoad = 0;
  async function loadRecords() {
    const ticket = ++recordsLoad;
    const { prefix, page, internal } = route;
    const query = new URLSearchParams({ offset: String((page - 1) * PAGE_SIZE), limit: String(PAGE_SIZE) });
    if (prefix !== "") query.set("prefix", prefix);
    if (internal) query.set("internal", "true");
    table.setAttribute("aria-busy", "true");
    try {
      const answer = await api(`${storePath(store)}/records?${query}`);
      if (ticket !== recordsLoad) return;
      renderRecords(answer);
    } catch (problem) {
      if (ticket !== recordsLoad) return;
      if (problem instanceof ApiError && problem.status === 404) return showMissing();
      replace(table, h("p", { class: "load-error", role: "alert" }, problem instanceof Error ? problem.message : String(problem)));
      pager.replaceChildren();
    } finally {
      if (ticket === recordsLoad) table.removeAttribute("aria-busy");
    }
  }

  /** @param {{ total: number, offset: number, records: RecordRow[] }} answer */
  function renderRecords({ total, offset, records }) {
    if (records.length === 0) {
      replace(table, emptyState(route, total));
      renderPager(total, offset, 0);
      return;
    }
    const rows = records.map((record) =>
      h(
        "tr",
        { class: record.internal ? "internal" : undefined },
        h(
          "th",
          { scope: "row", class: "key" },
          h("a", { href: recordHash(store, record.key) }, record.key),
          record.internal ? h("span", { class: "badge", title: "The package's own state, under the reserved __dskit: prefix" }, "internal") : null,
        ),
        h("td", { class: "preview mono" }, record.preview),
        h("td", {}, h("span", { class: `type type-${record.type}` }, record.type)),
        h("td", { class: "num" }, formatBytes(record.bytes)),
        h("td", { class: record.ttlSeconds === null ? "muted" : undefined, title: formatExpiry(record.expiresAt) }, formatTimeLeft(record.ttlSeconds)),
      ),
    );
    replace(
      table,
      h(
        "table",
        { class: "data-table records" },
        h("caption", { class: "visually-hidden" }, `Records of ${store}`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Key"),
            h("th", { scope: "col" }, "Value"),
            h("th", { scope: "col" }, "Type"),
            h("th", { scope: "col", class: "num" }, "Size"),
            h("th", { scope: "col" }, "Expires"),
          ),
        ),
        h("tbody", {}, rows),
      ),
    );
    renderPager(total, offset, records.length);
  }

  /** @param {number} total @param {number} offset @param {number} shown */
  function renderPager(total, offset, shown) {
    if (total === 0) {
      pager.replaceChildren();
      return;
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const range = shown === 0 ? `0 of ${formatNumber(total)}` : `${formatNumber(offset + 1)}–${formatNumber(offset + shown)} of ${formatNumber(total)}`;
    /** @param {string} label @param {number} page @param {boolean} enabled */
    const link = (label, page, enabled) =>
      enabled
        ? h("a", { class: "button", href: storeHash(store, { ...route, page }), rel: page < route.page ? "prev" : "next" }, label)
        : h("span", { class: "button", "aria-disabled": "true" }, label);
    replace(
      pager,
      h("p", { class: "range", "aria-live": "polite" }, range),
      pages > 1 ? h("span", { class: "muted" }, `Page ${formatNumber(route.page)} of ${formatNumber(pages)}`) : null,
      pages > 1 || route.page > 1
        ? h("span", { class: "pager-buttons" }, link("Previous page", route.page - 1, route.page > 1), link("Next page", route.page + 1, route.page < pages))
        : null,
    );
  }

  refresh();
  return {
    heading,
    /** @param {StoreRoute} next */
    update(next) {
      route = next;
      if (document.activeElement !== prefixInput && prefixInput.value !== route.prefix) prefixInput.value = route.prefix;
      internalBox.checked = route.internal;
      exportLink.href = exportHref(route);
      loadRecords();
    },
  };
}

/** @param {StoreRoute} route */
function exportHref(route) {
  return `${storePath(route.store)}/export${route.internal ? "?internal=true" : ""}`;
}

/** @param {StoreRoute} route @param {number} total */
function emptyState(route, total) {
  if (total > 0) {
    return h(
      "div",
      { class: "empty" },
      h("p", { class: "empty-title" }, "No records on this page"),
      h("p", {}, h("a", { href: storeHash(route.store, { ...route, page: 1 }) }, "Go to the first page")),
    );
  }
  if (route.prefix !== "") {
    return h("div", { class: "empty" }, h("p", { class: "empty-title" }, `No keys start with “${route.prefix}”`), h("p", {}, "Try a shorter prefix, or clear the search."));
  }
  return h(
    "div",
    { class: "empty" },
    h("p", { class: "empty-title" }, "No records yet — add one or import a file"),
    h("p", {}, "Records that components write with this data store appear here too."),
  );
}
