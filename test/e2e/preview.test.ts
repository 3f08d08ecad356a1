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

test("the table can be chosen before any check: one cell is explained and not kept, the marked table is used", async () => {
  await page.goto(base);
  const useSelection = page.getByRole("button", { name: "Använd markeringen som tabell" });
  await cell("A1").click();
  await useSelection.click();
  await page.getByText("Markera hela tabellen, från rubrikraden till sista raden").waitFor();
  expect(await page.getByText(/Tabellen är den du markerade/).count()).toBe(0);

  await cell("A4").click();
  await cell("D14").click({ modifiers: ["Shift"] });
  expect(await cell("B9").getAttribute("class")).toContain("selected");
  await useSelection.click();
  await page.getByText("Tabellen är den du markerade: A4:D14.").waitFor();
  await page.getByRole("region", { name: "Negativa avvikelser" }).getByText("Köp av tjänster").waitFor();
  // The explanation from before is gone once the next action started.
  expect(await page.getByText("Markera hela tabellen, från rubrikraden").count()).toBe(0);

  // A selection that holds no table is not kept: the marked table stays.
  await cell("A1").click();
  await cell("B2").click({ modifiers: ["Shift"] });
  await useSelection.click();
  await page.getByText(/^Markeringen sparades inte/).waitFor();
  expect(await page.getByText("Tabellen är den du markerade: A4:D14.").count()).toBe(1);
}, 60_000);

test("a threshold that hides every negative deviation says so, with how many are hidden", async () => {
  await page.goto(base);
  await page.getByRole("button", { name: "Kontrollera" }).click();
  const flags = page.getByRole("region", { name: "Negativa avvikelser" });
  await flags.getByText("Köp av tjänster").waitFor();
  const negative = await flags.locator("li").count();
  await page.getByText("Inställningar för arbetsboken").click();
  const amount = page.getByLabel("Flagga avvikelser från (belopp i tkr)");
  await amount.fill("5000");
  await amount.press("Tab");
  const none = flags.getByText(/^Inga avvikelser under /);
  await none.waitFor();
  const hidden =
    negative === 1 ? "1 mindre negativ avvikelse visas inte" : `${negative} mindre negativa avvikelser visas inte`;
  expect(await none.textContent()).toBe(`Inga avvikelser under \u22125\u00a0000 tkr. ${hidden}.`);
}, 60_000);

test("a notice from the last action clears when the next one starts", async () => {
  await page.goto(base);
  await page.getByRole("button", { name: "Kontrollera" }).click();
  await page.getByRole("button", { name: "Skriv till arbetsboken" }).click();
  await page.getByText("16 celler skrevs.").waitFor();
  await page.getByRole("button", { name: "Kontrollera" }).click();
  await page.getByText("Klar att skicka in").waitFor();
  expect(await page.getByText("16 celler skrevs.").count()).toBe(0);
}, 60_000);

test("the pane names the forecast column and the unit, right-aligns figures, and its rows look clickable", async () => {
  await page.goto(base);
  await page.getByRole("button", { name: "Kontrollera" }).click();
  await page.getByText(/, belopp i tkr\. Budget B, prognos C, avvikelse D\.$/).waitFor();
  const changes = page.getByRole("region", { name: "16 ändringar att skriva" });
  const row = changes.locator("li button").first();
  expect(await row.evaluate((b) => getComputedStyle(b).cursor)).toBe("pointer");
  // The figure ends at the row's right edge.
  const figure = row.locator(":scope > span").last();
  const [rowBox, figureBox] = [await row.boundingBox(), await figure.boundingBox()];
  expect(Math.abs(rowBox!.x + rowBox!.width - (figureBox!.x + figureBox!.width))).toBeLessThan(16);
}, 60_000);

test("the page asks nothing of any server but its own, and raises no error", () => {
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
  expect(errors).toEqual([]);
});
