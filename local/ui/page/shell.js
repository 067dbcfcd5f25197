// @ts-check
/** The frame around every view: the store file's path in the header, and the status message line. */

/** A message for the next view, e.g. "Deleted data store x" after leaving its page. */
let pendingFlash = "";

/** Shows `message` on the next view the page opens. @param {string} message */
export function flash(message) {
  pendingFlash = message;
}

/** Shows `message` now, in the status line (announced politely). @param {string} message */
export function showStatus(message) {
  const element = document.getElementById("flash");
  if (!element) return;
  element.textContent = message;
  element.hidden = message === "";
}

/** Called on every new view: shows the pending message, or clears the last one. */
export function takeFlash() {
  showStatus(pendingFlash);
  pendingFlash = "";
}

/** @param {string} path the store file's absolute path */
export function setStoreFile(path) {
  const element = document.getElementById("store-file");
  if (element && element.textContent !== path) {
    element.textContent = path;
    element.title = path;
  }
}
