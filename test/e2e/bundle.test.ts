import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The production task pane: what it loads, what it may run, how large it is. */
const DIST = path.resolve(__dirname, "..", "..", "dist", "addin");

beforeAll(() => {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "inherit" });
}, 180_000);

test("the page loads scripts only from itself and the Office CDN, under a Content-Security-Policy that says so", () => {
  const html = fs.readFileSync(path.join(DIST, "taskpane.html"), "utf8");
  const csp = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/.exec(html)?.[1] ?? "";
  expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com;/);
  expect(csp).not.toMatch(/unsafe-eval/);
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)"?/g)].map((m) => m[1]);
  expect(scripts).toEqual(["https://appsforoffice.microsoft.com/lib/1/hosted/office.js", "taskpane.js"]);
});

test("the bundle has no eval, no source map, and stays within 136 KB gzip", () => {
  const js = fs.readFileSync(path.join(DIST, "taskpane.js"));
  expect(js.includes("eval(")).toBe(false);
  expect(js.includes("new Function")).toBe(false);
  expect(fs.readdirSync(DIST).filter((f) => f.endsWith(".map"))).toEqual([]);
  expect(js.includes("sourceMappingURL")).toBe(false);
  expect(gzipSync(js, { level: 9 }).length).toBeLessThanOrEqual(136 * 1024);
});

test("the in-memory Excel and the preview stay out of the add-in", () => {
  const js = fs.readFileSync(path.join(DIST, "taskpane.js"), "utf8");
  expect(js).not.toContain("the in-memory Excel");
  expect(js).not.toContain("PropertyNotLoaded");
});
