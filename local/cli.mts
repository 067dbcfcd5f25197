#!/usr/bin/env node
/**
 * dskit: run the package's components on your own machine, against an embedded SQLite data store.
 *
 *   dskit list
 *   dskit run get-record --prop key=greeting
 *   dskit store set greeting '"hello"' --ttl 3600
 *
 * This file is the executable only: the commands are `main` (local/main.mts). It first puts a
 * stand-in for @pipedream/platform in place (local/lazy-platform.mts), so commands that make no
 * HTTP request never load axios, then imports the commands: dynamically, because modules imported
 * statically are prepared before any line here runs.
 */
import { installLazyPlatform } from "./lazy-platform.mjs";
import { processIo } from "./output.mjs";

// Piped into `head` and the like, stdout may close early: that ends the command quietly, not with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

installLazyPlatform();
const { main } = await import("./main.mjs");
process.exitCode = await main(process.argv.slice(2), processIo());
