import { createFakeDataStore } from "../support/fake-data-store.mjs";
import { dataStoreContract } from "./data-store-contract.mjs";

dataStoreContract("in-memory fake", (clock) => createFakeDataStore({ now: clock.now, pageSize: 128 }).store);
dataStoreContract("in-memory fake with latency and small pages", (clock) =>
  createFakeDataStore({ now: clock.now, pageSize: 7, jitterMs: 1 }).store,
);
