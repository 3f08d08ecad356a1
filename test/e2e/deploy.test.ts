import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { chromium, type Route } from "playwright-core";
import { tempDir } from "../helpers/workbooks";

/**
 * The build a municipality's IT makes: for a made-up https address, into a folder of static files
 * with a manifest that points only there; served from that path, the pane loads from the
 * manifest's source location.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const ADDRESS = "https://addins.example.se/prognoskoll/";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const manifest = require("../../scripts/manifest.js") as {
  addressFrom(env?: object, environment?: object): { address: string; given: boolean };
  manifestUrls(xml: string): string[];
  manifestId(address: string, devId: string): string;
  validateManifest(xml: string): Promise<{ valid: boolean; errors: string[] }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serve } = require("../../scripts/preview-server.js") as {
  serve(port: number, options?: { root?: string; prefix?: string }): Promise<Server>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchOptions } = require("../../scripts/chromium.js") as {
  launchOptions(): { executablePath: string; args: string[] };
};

let folder: string;
let built: string;
let xml: string;

beforeAll(() => {
  folder = path.join(tempDir(), "hosted");
  built = execFileSync("npx", ["webpack", "--mode", "production", "--env", `url=${ADDRESS}`, "--output-path", folder], {
    cwd: ROOT,
    encoding: "utf8",
  });
  xml = fs.readFileSync(path.join(folder, "manifest.xml"), "utf8");
}, 300_000);

/** Every file of a folder, relative to it. */
function files(dir: string, under = ""): string[] {
  return fs
    .readdirSync(path.join(dir, under), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(under, e.name)) : [path.join(under, e.name)]));
}

describe("a build for https://addins.example.se/prognoskoll/", () => {
  test("says which address it built for", () => {
    expect(built).toContain(`Building for ${ADDRESS}`);
  });

  test("writes a manifest that validates against the schema", async () => {
    expect(await manifest.validateManifest(xml)).toEqual({ valid: true, errors: [] });
  });

  test("leaves no localhost in the manifest, and every URL is under the address", () => {
    expect(xml).not.toMatch(/localhost/i);
    const urls = manifest.manifestUrls(xml);
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const url of urls) {
      if (url.startsWith(ADDRESS)) continue;
      // The add-in's domain, in AppDomains, is the address's origin.
      expect(url).toBe(new URL(ADDRESS).origin);
    }
  });

  test("has every page and icon the manifest names in the folder, and nothing but static files", () => {
    const present = new Set(files(folder).map((f) => f.split(path.sep).join("/")));
    const named = manifest
      .manifestUrls(xml)
      .filter((u) => u.startsWith(ADDRESS))
      .map((u) => u.slice(ADDRESS.length));
    expect(named).toEqual(expect.arrayContaining(["taskpane.html", "assets/icon-32.png", "assets/icon-80.png"]));
    for (const f of named) expect([f, present.has(f)]).toEqual([f, true]);
    expect([...present].filter((f) => !/\.(html|js|png|xml|txt)$/.test(f))).toEqual([]);
    // The command's and the bench's builds are not part of what IT hosts.
    expect([...present].filter((f) => /^(cli|bench|read-file|compare-core)\.js$/.test(f))).toEqual([]);
  });

  test("has an id of its own, the same for every build for the address", () => {
    const dev = /<Id>([^<]*)<\/Id>/.exec(fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8"))![1];
    const id = /<Id>([^<]*)<\/Id>/.exec(xml)![1];
    expect(id).not.toBe(dev);
    expect(id).toBe(manifest.manifestId(ADDRESS, dev));
    expect(manifest.manifestId("https://other.example.se/", dev)).not.toBe(id);
  });

  test("carries the version of package.json", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require("../../package.json") as { version: string };
    expect(xml).toContain(`<Version>${version}.0</Version>`);
  });
});

describe("the address to build for", () => {
  test("comes from --env url or PROGNOSKOLL_URL, and ends in /", () => {
    expect(manifest.addressFrom({ url: "https://addins.example.se/prognoskoll" }, {})).toEqual({
      address: ADDRESS,
      given: true,
    });
    expect(manifest.addressFrom({}, { PROGNOSKOLL_URL: "https://intra.kommun.se/" })).toEqual({
      address: "https://intra.kommun.se/",
      given: true,
    });
    expect(manifest.addressFrom({}, {})).toEqual({ address: "https://localhost:3000/", given: false });
  });

  test.each([
    ["http://addins.example.se/prognoskoll/", /is not an https address/],
    ["addins.example.se/prognoskoll", /is not a web address/],
    ["https://addins.example.se/prognoskoll/?v=1", /more than a place to serve from/],
  ])("%s is refused with a plain message and nothing is built", (url, message) => {
    const out = path.join(tempDir(), "refused");
    const r = spawnSync("npx", ["webpack", "--mode", "production", "--env", `url=${url}`, "--output-path", out], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });
});

test("served at the address's path, the pane loads from the manifest's source location", async () => {
  const server = await serve(0, { root: folder, prefix: "/prognoskoll/" });
  const port = (server.address() as { port: number }).port;
  const local = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch(launchOptions());
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => requests.push(r.url()));
    // The made-up address is answered by the local server at the same path; office.js, which
    // Office takes from Microsoft's CDN, by the local copy of the @microsoft/office-js package.
    // Requests still in flight when the test is over (the pane's icons) are let go.
    let over = false;
    const answer = async (route: Route, url: string): Promise<void> => {
      try {
        await route.fulfill({ response: await page.request.fetch(url) });
      } catch (e) {
        if (!over) throw e;
      }
    };
    await page.route("https://addins.example.se/**", (route) =>
      answer(route, `${local}${new URL(route.request().url()).pathname}`),
    );
    await page.route("https://appsforoffice.microsoft.com/lib/1/hosted/**", (route) =>
      answer(route, `${local}/office/${new URL(route.request().url()).pathname.replace("/lib/1/hosted/", "")}`),
    );
    const source = /<SourceLocation DefaultValue="([^"]+)"/.exec(xml)![1];
    expect(source).toBe(`${ADDRESS}taskpane.html`);
    const response = await page.goto(source);
    expect(response?.status()).toBe(200);
    // Outside Office the pane says its name (Office.onReady reports no host).
    await page.locator("#app", { hasText: "Prognoskoll" }).waitFor();
    expect(errors).toEqual([]);
    expect(
      requests.filter((u) => !u.startsWith(ADDRESS) && !u.startsWith("https://appsforoffice.microsoft.com/")),
    ).toEqual([]);
    expect(requests).toContain(`${ADDRESS}taskpane.js`);
    over = true;
    await page.unrouteAll({ behavior: "ignoreErrors" });
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}, 120_000);
