/**
 * The dashboard in a real browser (Debian's chromium through playwright-core): the user's path of
 * the issue, step by step, each test on a fresh dashboard and browser context. Checks of what was
 * stored go through the store file, not only the page. No test sleeps: each waits on a locator.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import { REPO_ROOT } from "../support/components.mjs";
import { startTestDashboard, type TestDashboard, type TestDashboardOptions } from "../support/dashboard.mjs";
import { artifactPath, BROWSER_TEST_TIMEOUT_MS, launchBrowser, openDashboard, type OpenDashboard } from "./browser-support.mjs";

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

let browser: Browser;
let dashboard: TestDashboard | undefined;
let opened: OpenDashboard | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await opened?.context.close();
  opened = undefined;
  await dashboard?.close();
  dashboard = undefined;
});

/** A dashboard over a fresh store file, and a fresh page on it at `hash`. */
async function open(options: TestDashboardOptions = {}, hash = "#/"): Promise<{ dash: TestDashboard; page: Page }> {
  dashboard = await startTestDashboard(options);
  opened = await openDashboard(browser, dashboard, hash);
  return { dash: dashboard, page: opened.page };
}

/** The body rows of the records table. */
const recordRows = (page: Page) => page.locator("table.records tbody tr");
const recordLink = (page: Page, key: string) => page.getByRole("link", { name: key, exact: true });

describe("dskit ui in a browser", () => {
  test("the printed address opens the data stores list with record counts, sizes and the store file, and drops the token", async () => {
    const { dash, page } = await open({
      seed: async (file) => {
        await file.dataStore("orders").set("a", { total: 12 });
        await file.dataStore("orders").set("b", "shipped");
        await file.dataStore("orders").set("__dskit:counter:x", 3);
      },
    });
    const row = page.getByRole("row", { name: /orders/ });
    await row.waitFor();
    const cells = row.getByRole("cell");
    expect(await cells.nth(0).textContent()).toBe("2");
    expect(await cells.nth(1).textContent()).toBe("1");
    await row.getByText(/\d B$/).first().waitFor(); // sizes filled in
    expect(await page.locator("#store-file").textContent()).toBe(dash.storeFilePath);
    expect(page.url()).not.toContain("token");
    expect(opened?.problems).toEqual([]);
  });

  test("creating a data store opens its empty records view", async () => {
    const { dash, page } = await open();
    await page.getByText("No data stores yet", { exact: true }).waitFor();
    await page.getByLabel("Data store name").fill("orders");
    await page.getByRole("button", { name: "Create data store" }).click();
    await page.getByRole("heading", { level: 1, name: "orders" }).waitFor();
    await page.getByText("No records yet — add one or import a file").waitFor();
    const listed = (await (await dash.request("/api/data-stores")).json()) as { dataStores: { name: string }[] };
    expect(listed.dataStores.map((store) => store.name)).toEqual(["orders"]);

    // A second store of the same name is refused next to the form.
    await page.goBack();
    await page.getByLabel("Data store name").fill("orders");
    await page.getByRole("button", { name: "Create data store" }).click();
    await page.getByRole("alert").filter({ hasText: /orders/ }).waitFor();
  });

  test("adding a record shows it in the table; a reserved key and a bad TTL are refused with the API's message", async () => {
    const { dash, page } = await open({ seed: (file) => void file.createDataStore("orders") }, "#/stores/orders");
    const form = page.getByRole("form", { name: "Add a record" });
    await form.getByLabel("Key").fill("order:1");
    await form.getByLabel("Value", { exact: true }).fill('{"total": 42, "items": ["tea"]}');
    await form.getByLabel("Value Type").selectOption("json");
    await form.getByRole("button", { name: "Add record" }).click();
    const row = page.getByRole("row", { name: /order:1/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('{"total":42,"items":["tea"]}');
    expect(await row.textContent()).toContain("object");
    expect(await row.textContent()).toContain("never");
    expect(await dash.storeFile.dataStore("orders").get("order:1")).toEqual({ total: 42, items: ["tea"] });

    await form.getByLabel("Key").fill("__dskit:mine");
    await form.getByLabel("Value", { exact: true }).fill("1");
    await form.getByRole("button", { name: "Add record" }).click();
    await form.getByRole("alert").filter({ hasText: /Key/ }).waitFor();

    await form.getByLabel("Key").fill("order:2");
    await form.getByLabel("TTL (seconds)").fill("soon");
    await form.getByRole("button", { name: "Add record" }).click();
    await form.getByRole("alert").filter({ hasText: /TTL/ }).waitFor();
    expect(await dash.storeFile.dataStore("orders").keys()).toEqual(["order:1"]);
  });

  test("searching by key prefix shows only matching records, and the search survives reload and back", async () => {
    const { page } = await open(
      {
        seed: async (file) => {
          for (const key of ["user:1", "user:2", "order:1", "__dskit:limit:x"]) await file.dataStore("app").set(key, key);
        },
      },
      "#/stores/app",
    );
    await recordLink(page, "order:1").waitFor();
    expect(await recordLink(page, "__dskit:limit:x").count()).toBe(0); // internal records hidden by default
    await page.getByLabel("Key prefix").fill("user:");
    await page.getByLabel("Key prefix").press("Enter");
    await recordLink(page, "order:1").waitFor({ state: "detached" });
    expect(await recordRows(page).count()).toBe(2);
    expect(page.url()).toContain("prefix=user%3A");

    await page.reload();
    await recordLink(page, "user:2").waitFor();
    expect(await page.getByLabel("Key prefix").inputValue()).toBe("user:");
    expect(await recordRows(page).count()).toBe(2);

    await page.getByLabel("Show internal records").check();
    await page.getByLabel("Key prefix").fill("");
    await page.getByLabel("Key prefix").press("Enter");
    await recordLink(page, "__dskit:limit:x").waitFor();
    await page.goBack();
    await recordLink(page, "__dskit:limit:x").waitFor({ state: "detached" });
  });

  test("editing a value saves valid JSON, and an invalid JSON edit is refused with nothing saved", async () => {
    const { dash, page } = await open({ seed: async (file) => { await file.dataStore("app").set("config", { retries: 3 }); } }, "#/stores/app");
    await recordLink(page, "config").click();
    await page.getByRole("heading", { level: 1, name: "config" }).waitFor();
    const stored = page.getByLabel("Stored value");
    expect(await stored.textContent()).toBe('{\n  "retries": 3\n}');

    await page.getByRole("button", { name: "Edit value" }).click();
    const form = page.getByRole("form", { name: "Edit value" });
    expect(await form.getByLabel("Value Type").inputValue()).toBe("json");
    await form.getByLabel("Value", { exact: true }).fill('{"retries": 5,}');
    await form.getByRole("button", { name: "Save value" }).click();
    await form.getByRole("alert").filter({ hasText: /not valid JSON/ }).waitFor();
    expect(await form.getByRole("alert").textContent()).toContain("Nothing was saved");
    expect(await dash.storeFile.dataStore("app").get("config")).toEqual({ retries: 3 });
    await form.getByRole("button", { name: "Cancel" }).click();
    expect(await stored.textContent()).toBe('{\n  "retries": 3\n}');

    await page.getByRole("button", { name: "Edit value" }).click();
    await form.getByLabel("Value", { exact: true }).fill('{"retries": 5}');
    await form.getByRole("button", { name: "Save value" }).click();
    await page.getByLabel("Stored value").filter({ hasText: '"retries": 5' }).waitFor();
    await page.getByText("Saved the value.").waitFor();
    expect(await dash.storeFile.dataStore("app").get("config")).toEqual({ retries: 5 });
  });

  test("setting a TTL shows the time left, and removing it shows never", async () => {
    const { dash, page } = await open({ seed: async (file) => { await file.dataStore("app").set("session", "abc"); } }, "#/stores/app/records/session");
    const form = page.getByRole("form", { name: "Expiry" });
    await form.getByLabel("TTL (seconds)").fill("240");
    await form.getByRole("button", { name: "Set TTL" }).click();
    await page.getByText("in 4 min").first().waitFor();
    const withTtl = (await (await dash.request("/api/data-stores/app/records/session")).json()) as { ttlSeconds: number | null };
    expect(withTtl.ttlSeconds).toBe(240);

    await page.getByRole("form", { name: "Expiry" }).getByRole("button", { name: "Remove expiry" }).click();
    await page.getByText("This record never expires.").waitFor();
    const without = (await (await dash.request("/api/data-stores/app/records/session")).json()) as { ttlSeconds: number | null };
    expect(without.ttlSeconds).toBeNull();
    expect(await dash.storeFile.dataStore("app").get("session")).toBe("abc");
  });

  test("deleting a record asks in a dialog: cancel keeps it, confirm deletes it", async () => {
    const { dash, page } = await open(
      {
        seed: async (file) => {
          await file.dataStore("app").set("old", 1);
          await file.dataStore("app").set("keep", 2);
        },
      },
      "#/stores/app/records/old",
    );
    await page.getByRole("button", { name: "Delete record" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete record “old”?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await dash.storeFile.dataStore("app").get("old")).toBe(1);

    await page.getByRole("button", { name: "Delete record" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("heading", { level: 1, name: "app" }).waitFor();
    await recordLink(page, "keep").waitFor();
    expect(await recordLink(page, "old").count()).toBe(0);
    expect(await dash.storeFile.dataStore("app").has("old")).toBe(false);
  });

  test("deleting a data store needs its name typed in the dialog", async () => {
    const { dash, page } = await open({ seed: async (file) => { await file.dataStore("scratch").set("a", 1); } }, "#/stores/scratch");
    await page.getByRole("button", { name: "Delete data store" }).click();
    const dialog = page.getByRole("dialog", { name: /Delete data store/ });
    const confirm = dialog.getByRole("button", { name: "Delete data store" });
    await dialog.getByLabel("Confirm name").fill("scratc");
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Confirm name").fill("scratch");
    await confirm.click();
    await page.getByRole("heading", { level: 1, name: "Data stores" }).waitFor();
    await page.getByText("Deleted data store “scratch” and its 1 record.").waitFor();
    await page.getByText("No data stores yet", { exact: true }).waitFor();
    expect(await dash.storeFile.dataStore("scratch").keys()).toEqual([]);
  });

  test("importing a CSV adds its rows; a file with a bad row imports nothing and says why", async () => {
    const { dash, page } = await open({ seed: async (file) => { await file.dataStore("people").set("existing", true); } }, "#/stores/people");
    const form = page.getByRole("form", { name: "Import" });
    await form.getByLabel("File to import").setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from('key,value\nperson:ada,"{""name"":""Ada""}"\nperson:alan,Alan\n'),
    });
    await form.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Imported 2 records from people.csv (CSV).").waitFor();
    await recordLink(page, "person:ada").waitFor();
    expect(await dash.storeFile.dataStore("people").get("person:ada")).toEqual({ name: "Ada" });
    expect(await dash.storeFile.dataStore("people").get("person:alan")).toBe("Alan");

    await form.getByLabel("File to import").setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("key,value\nperson:eve,Eve\n__dskit:x,1\n"),
    });
    await form.getByRole("button", { name: "Import", exact: true }).click();
    await form.getByRole("alert").filter({ hasText: "Nothing was imported" }).waitFor();
    expect(await dash.storeFile.dataStore("people").has("person:eve")).toBe(false);
  });

  test("a value holding <script> shows as text and runs nothing", async () => {
    const hostile = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
    const { page } = await open({ seed: async (file) => { await file.dataStore("app").set("<b>key</b>", hostile); } }, "#/stores/app");
    await recordLink(page, "<b>key</b>").waitFor();
    await page.getByText(JSON.stringify(hostile)).waitFor();
    await recordLink(page, "<b>key</b>").click();
    await page.getByLabel("Stored value").filter({ hasText: "<script>window.__xss = 1</script>" }).waitFor();
    await page.getByRole("button", { name: "Edit value" }).click();
    expect(await page.getByRole("form", { name: "Edit value" }).getByLabel("Value", { exact: true }).inputValue()).toBe(hostile);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("script:not([src])").count()).toBe(0);
  });

  test("a key with a slash, spaces, a question mark and a percent sign opens, and its address survives reload", async () => {
    const key = "invoices/2026 Q4?draft=100%";
    const { page } = await open(
      {
        seed: async (file) => {
          await file.dataStore("my store/eu").set(key, { draft: true });
        },
      },
      "#/",
    );
    await page.getByRole("link", { name: "my store/eu" }).click();
    await recordLink(page, key).click();
    await page.getByRole("heading", { level: 1, name: key }).waitFor();
    await page.getByLabel("Stored value").filter({ hasText: '"draft": true' }).waitFor();
    await page.reload();
    await page.getByLabel("Stored value").filter({ hasText: '"draft": true' }).waitFor();
    await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link", { name: "my store/eu" }).click();
    await recordLink(page, key).waitFor();
  });

  test(
    "a store of 100,000 records shows its first page in under a second",
    async () => {
      const { dash, page } = await open({
        seed: async (file) => {
          const big = file.dataStore("big");
          for (let i = 0; i < 100_000; i += 1) await big.set(`item:${String(i).padStart(6, "0")}`, { n: i, name: `Item ${i}` });
        },
      });
      // Let the list's size pass over the big store finish, so it does not share the measured time.
      await page.getByRole("row", { name: /big/ }).getByText(/[KM]B$/).first().waitFor();

      const started = performance.now();
      await page.goto(`${dash.origin}/#/stores/big`);
      await recordLink(page, "item:000000").waitFor();
      const elapsedMs = performance.now() - started;
      console.log(`dskit ui: first page of 100,000 records visible after ${elapsedMs.toFixed(0)} ms`);
      expect(elapsedMs).toBeLessThan(1000);
      await page.getByText("1–50 of 100,000").waitFor();
      expect(await recordRows(page).count()).toBe(50);

      await page.getByRole("link", { name: "Next page" }).click();
      await page.getByText("51–100 of 100,000").waitFor();
      await recordLink(page, "item:000050").waitFor();
    },
    3 * BROWSER_TEST_TIMEOUT_MS,
  );

  test("the records view, screenshotted as a test artifact (and for the README with DSKIT_UPDATE_SCREENSHOT=1)", async () => {
    const { page } = await open({ seed: seedShowcase }, "#/stores/orders");
    await recordLink(page, "order:1001").waitFor();
    await page.getByText(/after Brotli/).waitFor();
    const path = artifactPath("dashboard-records.png");
    await page.screenshot({ path });
    if (process.env.DSKIT_UPDATE_SCREENSHOT === "1") {
      mkdirSync(join(REPO_ROOT, "docs"), { recursive: true });
      copyFileSync(path, join(REPO_ROOT, "docs", "dashboard-records.png"));
    }
  });
});

/** A store that looks like a user's: orders, customers, a cache entry with an expiry, the package's own state. */
async function seedShowcase(file: Parameters<NonNullable<TestDashboardOptions["seed"]>>[0]): Promise<void> {
  const orders = file.dataStore("orders");
  const items = ["tea", "coffee", "scones", "jam", "honey"];
  for (let i = 0; i < 8; i += 1) {
    const id = 1001 + i;
    await orders.set(`order:${id}`, {
      id,
      customer: `cus_${(7340 + i * 13).toString(36)}`,
      items: items.slice(0, 1 + (i % 4)),
      total: Math.round((12.5 + i * 7.25) * 100) / 100,
      status: i % 3 === 0 ? "shipped" : "paid",
    });
  }
  await orders.set("last-sync", "2026-11-24T18:30:00Z", { ttl: 3600 });
  await orders.set("cache:rates", { EUR: 0.92, GBP: 0.79 }, { ttl: 240 });
  await orders.set("open-orders", 7);
  await orders.set("paused", false);
  await orders.set("__dskit:counter:orders:day", 19);
  await file.dataStore("customers").set("cus_1", { name: "Ada" });
}
