import { builtinModules } from "node:module";
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import officeAddins from "eslint-plugin-office-addins";
import globals from "globals";
import tseslint from "typescript-eslint";

const TS_FILES = ["**/*.{ts,tsx,mts,cts}"];
const OFFICE_FILES = ["src/excel/**/*.{ts,tsx,js,jsx}", "src/taskpane/**/*.{ts,tsx,js,jsx}"];

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith("_"));

const coreRestrictedImports = {
  paths: [
    ...nodeBuiltins.map((name) => ({
      name,
      message: "src/core must stay pure: no Node.js built-ins (do I/O in src/cli or src/excel).",
    })),
    ...["office-js", "@types/office-js", "@microsoft/office-js", "@microsoft/office-js-helpers"].map((name) => ({
      name,
      message: "src/core must stay pure: Office.js belongs in src/excel.",
    })),
    ...["react", "react-dom", "jsdom", "happy-dom", "linkedom"].map((name) => ({
      name,
      message: "src/core must stay pure: no UI or DOM libraries.",
    })),
  ],
  patterns: [
    {
      group: ["node:*"],
      message: "src/core must stay pure: no Node.js built-ins (do I/O in src/cli or src/excel).",
    },
    {
      group: ["office-js/*", "@microsoft/office-js*", "@types/office-js*"],
      message: "src/core must stay pure: Office.js belongs in src/excel.",
    },
    {
      group: ["react/*", "react-dom/*", "@fluentui/*", "@testing-library/*", "jsdom/*"],
      message: "src/core must stay pure: no UI or DOM libraries.",
    },
    {
      group: ["**/cli", "**/cli/**", "**/excel", "**/excel/**", "**/taskpane", "**/taskpane/**"],
      message: "src/core must not depend on the CLI, Excel or task pane layers.",
    },
  ],
};

const coreRestrictedGlobals = [
  "window",
  "document",
  "navigator",
  "localStorage",
  "sessionStorage",
  "Office",
  "Excel",
  "OfficeExtension",
  "process",
  "Buffer",
  "__dirname",
  "__filename",
  "require",
].map((name) => ({ name, message: "src/core must stay pure: no host, DOM or Node.js globals." }));

export default defineConfig(
  {
    ignores: ["dist/", "dist-preview/", "node_modules/", "coverage/", ".tmp/"],
  },

  js.configs.recommended,

  {
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
  },

  {
    files: ["**/*.{js,cjs}"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    files: ["src/cli/**", "scripts/**", "bench/**"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["test/**"],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },

  {
    files: OFFICE_FILES,
    plugins: { "office-addins": officeAddins },
    languageOptions: {
      globals: { ...globals.browser, Office: "readonly", Excel: "readonly", OfficeExtension: "readonly" },
    },
    rules: {
      "office-addins/load-object-before-read": "error",
      "office-addins/call-sync-before-read": "error",
      "office-addins/no-context-sync-in-loop": "error",
      "office-addins/test-for-null-using-isNullObject": "error",
      "office-addins/call-sync-after-load": "error",
      "office-addins/no-empty-load": "warn",
      "office-addins/no-navigational-load": "warn",
      "office-addins/no-office-initialize": "warn",
    },
  },

  {
    files: ["src/core/**"],
    rules: {
      "no-restricted-imports": ["error", coreRestrictedImports],
      "no-restricted-globals": ["error", ...coreRestrictedGlobals],
    },
  },
);
