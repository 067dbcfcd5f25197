// @ts-check
/**
 * The one way this page makes elements: data always goes in as text (text nodes, textContent,
 * attributes), never as HTML, so a value holding `<script>` shows as those characters.
 */

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Record<string, string | number | boolean | null | undefined | EventListener>} Attrs
 */

/**
 * An element `tag` with attributes and children. An `on<event>` attribute holding a function
 * becomes an event listener; `false`, `null` and `undefined` attributes and children are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === "class") element.className = String(value);
    // `true` on a boolean property (hidden, disabled, checked, required); text stays an attribute (spellcheck="false").
    else if (typeof value === "boolean" && name in element) (/** @type {any} */ (element))[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/**
 * Appends children (text or nodes, nested lists flattened) to `parent`.
 * @param {Node} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/**
 * Replaces everything inside `parent` with `children`.
 * @param {Element} parent
 * @param {...(Child | Child[])} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** Ids for label/input pairs, unique within the page. */
let nextId = 0;
/** @param {string} stem */
export function uid(stem) {
  nextId += 1;
  return `${stem}-${nextId}`;
}

/**
 * A labelled form field: the label, the control, and an optional hint tied by aria-describedby.
 * @param {string} label
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control
 * @param {Child | Child[]} [hint]
 */
export function field(label, control, hint) {
  if (!control.id) control.id = uid("field");
  const hintElement = hint === undefined ? null : h("p", { class: "hint", id: uid("hint") }, ...[hint].flat());
  if (hintElement) control.setAttribute("aria-describedby", hintElement.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintElement);
}

/**
 * Runs a form's `work` once: clears its error line, disables `buttons` until the work ends, and
 * shows what it throws in the error line, worded by `explain` (default: the error's message).
 * Returns whether the work succeeded.
 * @param {ReturnType<typeof errorLine>} error
 * @param {(HTMLButtonElement | null)[]} buttons
 * @param {() => Promise<void>} work
 * @param {(message: string, problem: unknown) => [string, ...Child[]]} [explain]
 * @returns {Promise<boolean>}
 */
export async function runForm(error, buttons, work, explain = (message) => [message]) {
  error.clear();
  for (const button of buttons) if (button) button.disabled = true;
  try {
    await work();
    return true;
  } catch (problem) {
    error.show(...explain(problem instanceof Error ? problem.message : String(problem), problem));
    return false;
  } finally {
    for (const button of buttons) if (button) button.disabled = false;
  }
}

/**
 * The error line of a form: empty until `show`, announced to screen readers when it changes.
 */
export function errorLine() {
  const element = h("p", { class: "form-error", role: "alert", hidden: true });
  return {
    element,
    /** @param {string} message @param {...Child} extra */
    show(message, ...extra) {
      replace(element, message, ...extra);
      element.hidden = false;
    },
    clear() {
      element.replaceChildren();
      element.hidden = true;
    },
  };
}
