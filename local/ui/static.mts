/**
 * The page's files (local/ui/page/: index.html, app.js, style.css…), served beside this module: from
 * the source under ts-jest, from dist/local/ui/page once built (the build copies the folder). Only
 * plain file names of the folder itself are served, so no path can climb out of it.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Hono } from "hono";

const PAGE_FOLDER = new URL("./page/", import.meta.url);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** A name with no slash, backslash or leading dot, and a known extension: nothing else is looked up. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The file's bytes and type, or undefined when it is not a page file. */
export async function readPageFile(name: string): Promise<{ body: Buffer; contentType: string } | undefined> {
  const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
  if (!FILE_NAME.test(name) || name.includes("..") || contentType === undefined) return undefined;
  try {
    return { body: await readFile(new URL(name, PAGE_FOLDER)), contentType };
  } catch {
    return undefined;
  }
}

/** GET / (index.html) and GET /<file>; anything else is a 404. Mount after the token check. */
export function pageRoutes(app: Hono): void {
  const serve = async (name: string) => {
    const file = await readPageFile(name);
    if (file === undefined) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    return new Response(file.body, { headers: { "Content-Type": file.contentType } });
  };
  app.get("/", () => serve("index.html"));
  app.get("/:file", (c) => serve(c.req.param("file")));
}
