/**
 * Store files for one test file: fresh paths in a temporary folder, and StoreFiles opened there,
 * all closed and removed when the file's tests end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "@jest/globals";
import { StoreFile, type StoreFileOptions } from "../../stores/sqlite-data-store.mjs";

export interface TempStoreFiles {
  /** The temporary folder, removed when the tests end. */
  folder: string;
  /** A path no test of this file has used yet. */
  freshPath(): string;
  /** Opens `path` (a fresh file by default); closed when the tests end. */
  open(path?: string, options?: StoreFileOptions): StoreFile;
}

/** Call at the top level of a test file: registers the clean-up with afterAll. */
export function tempStoreFiles(prefix: string): TempStoreFiles {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const opened: StoreFile[] = [];
  let files = 0;
  afterAll(() => {
    for (const file of opened) file.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const freshPath = () => join(folder, `store-${(files += 1)}.db`);
  return {
    folder,
    freshPath,
    open(path = freshPath(), options = {}) {
      const file = StoreFile.open(path, options);
      opened.push(file);
      return file;
    },
  };
}
