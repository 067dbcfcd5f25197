// ts-jest in ESM mode: sources are .mts and import each other with .mjs specifiers (NodeNext),
// so the mapper strips the extension and jest resolves the .mts file.
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".mts"],
  moduleFileExtensions: ["mts", "ts", "mjs", "js", "json"],
  testMatch: ["<rootDir>/test/**/*.test.mts"],
  setupFilesAfterEnv: ["<rootDir>/test/support/setup.mts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.mjs$": "$1",
  },
  transform: {
    "^.+\\.mts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }],
  },
};
