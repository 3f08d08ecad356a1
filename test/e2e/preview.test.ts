import { execFileSync } from "node:child_process";
import type { Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * The preview page in a real browser (Debian's chromium): press Kontrollera, see Köp av tjänster
 * flagged at −4 000, write, see the sheet change, undo, see it restored.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serve } = require("../../scripts/preview-server.js") as { serve(port: number): Promise<Server> };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchOptions } = require("../../scripts/chromium.js") as {
  launchOptions(): { executablePath: string; args: string[] };
};

let server: Server;
let browser: Browser;
let page: Page;
let base: string;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  execFileSync("npm", ["run", "-s", "build:preview"], { stdio: "inherit" });
  server = await serve(0);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the preview server has no port");
  base = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch(launchOptions());
  page = await browser.newPage();
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const cell = (address: string) => page.locator(`td[data-cell="${address}"]`);

test("Kontrollera flags Köp av tjänster at −4 000; Skriv writes the sheet; Ångra restores it", async () => {
  await page.getByRole("button", { name: "Kontrollera" }).click();
  const flags = page.getByRole("region", { name: "Negativa avvikelser" });
  await flags.getByText("Köp av tjänster").waitFor();
  expect(await flags.locator("li").first().textContent()).toBe("D8 Köp av tjänster\u22124\u00a0000 (\u22126,3 %)");
  expect(await cell("D8").textContent()).toBe("");

  await page.getByRole("button", { name: "Skriv till arbetsboken" }).click();
  await page.getByText("16 celler skrevs.").waitFor();
  expect(await cell("D8").textContent()).toBe("\u22124\u00a0000");
  expect(await cell("D8").getAttribute("class")).toContain("flagged");
  expect(await cell("B10").textContent()).toBe("\u2212288\u00a0639");
  expect(await cell("C14").textContent()).toBe("0");

  await page.getByRole("button", { name: "Ångra" }).click();
  await page.getByText("16 celler återställdes.").waitFor();
  expect(await cell("D8").textContent()).toBe("");
  expect(await cell("B10").textContent()).toBe("");
  expect(await cell("D8").getAttribute("class")).toBeNull();
}, 60_000);

test("what a newcomer met: the pending state is not red, the change list names columns and can be skipped, a bad threshold is said", async () => {
  await page.getByRole("button", { name: "Kontrollera" }).click();
  const status = page.getByText("Skriv 16 ändringar till arbetsboken, sedan är bladet klart");
  await status.waitFor();
  // Neutral text, not the error colour: red, green and blue alike.
  const rgb = (await status.evaluate((e) => getComputedStyle(e).color)).match(/\d+/g)!.map(Number);
  expect(rgb[0]).toBe(rgb[1]);
  expect(rgb[1]).toBe(rgb[2]);

  const changes = page.getByRole("region", { name: "16 ändringar att skriva" });
  const first = await changes.locator("li button > span").first().textContent();
  expect(first).toMatch(/^(Budget|Prognos|Avvikelse) [A-Z]+\d+ · \S/);
  expect(await changes.locator("li [aria-hidden='true']").first().textContent()).toBe("→");
  // Rows stay on one line at the pane's narrowest width.
  await page.setViewportSize({ width: 320, height: 800 });
  const heights = await changes
    .locator("li button")
    .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(2 * Math.min(...heights));
  await page.setViewportSize({ width: 1280, height: 800 });

  const skip = page.getByRole("link", { name: "Hoppa förbi listan över ändringar" });
  await skip.focus();
  expect((await skip.boundingBox())!.x).toBeGreaterThanOrEqual(0);
  await page.keyboard.press("Enter");
  const focused = await page.evaluate(() => document.activeElement?.id ?? "");
  expect(focused).toMatch(/after-changes$/);

  await page.getByText("Inställningar för arbetsboken").click();
  const amount = page.getByLabel("Flagga avvikelser från (belopp i tkr)");
  await amount.fill("fem tusen");
  await amount.press("Tab");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toBe("Skriv ett tal, 0 eller större (eller lämna tomt).");
  expect(await alert.isVisible()).toBe(true);
}, 60_000);

test("the page asks nothing of any server but its own, and raises no error", () => {
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
  expect(errors).toEqual([]);
});
