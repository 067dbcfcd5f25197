// @ts-check
/**
 * The `dskit ui` dashboard: a hash router over three views (data stores, records of one store,
 * one record). Plain DOM, no framework: every value is rendered as text (see dom.js).
 */
import { api } from "./api.js";
import { h } from "./dom.js";
import { parseRoute, storesHash } from "./routes.js";
import { setStoreFile, takeFlash } from "./shell.js";
import { recordView } from "./view-record.js";
import { storeView } from "./view-store.js";
import { storesView } from "./view-stores.js";

/**
 * @typedef {import("./routes.js").Route} Route
 * @typedef {{ heading: HTMLElement, update?: (route: any) => void }} View
 */

const outlet = /** @type {HTMLElement} */ (document.getElementById("app"));
/** @type {{ route: Route, view: View } | null} */
let current = null;

function render() {
  const route = parseRoute(location.hash);
  // Same data store, another prefix or page: refresh the table in place, keeping focus in the search box.
  const update = current?.view.update;
  if (current && update && current.route.kind === "store" && route.kind === "store" && current.route.store === route.store) {
    current = { route, view: current.view };
    update(route);
    return;
  }
  // The first view leaves focus where the browser puts it; later ones move it to their heading.
  const moveFocus = current !== null;
  outlet.replaceChildren();
  takeFlash();
  const view = openView(route);
  current = { route, view };
  document.title = `${view.heading.textContent} · dskit`;
  // Moving to a new view puts keyboard focus on its heading, as a page load would.
  if (moveFocus) view.heading.focus();
}

/** @param {Route} route @returns {View} */
function openView(route) {
  switch (route.kind) {
    case "stores":
      return storesView(outlet);
    case "store":
      return storeView(outlet, route);
    case "record":
      return recordView(outlet, route);
    default: {
      const heading = h("h1", { tabindex: "-1" }, "Page not found");
      outlet.append(
        h("header", { class: "page-header" }, h("div", {}, heading)),
        h("p", {}, "This address names no page of the dashboard. ", h("a", { href: storesHash() }, "See the data stores.")),
      );
      return { heading };
    }
  }
}

window.addEventListener("hashchange", render);
render();
// The header shows the file on every view, including one opened directly by its address.
api("/api/data-stores")
  .then((answer) => setStoreFile(answer.storeFile))
  .catch(() => undefined);
