/** The add-in's share of `npm run bench`: bundle size, time to interactive, and a 5 000-line check. */
import fs from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { checkGrid } from "../src/core";
import { applyPlan, readActiveSheet } from "../src/excel/adapter";
import { FakeRequestContext, FakeSheetData, FakeWorkbookData } from "../src/preview/fake-excel";
import { emit, fmt, median, section } from "./report";

const ROOT = path.resolve(__dirname, "..");
/** The official React task-pane template's production bundle, gzip, as built side by side. */
const TEMPLATE_GZIP_KB = 169;

function bundle(): void {
  const js = fs.readFileSync(path.join(ROOT, "dist", "addin", "taskpane.js"));
  const kb = gzipSync(js, { level: 9 }).length / 1024;
  section(
    "Task pane bundle",
    "The production task pane's JavaScript, office.js excluded, against the official React add-in template's production build.",
  );
  emit("| what | gzip | against the React template's 169 KB |");
  emit("|---|---:|---:|");
  emit(
    `| dist/addin/taskpane.js | ${fmt(kb, 1)} KB | ${fmt((kb / TEMPLATE_GZIP_KB) * 100)} % (limit ≤ 136 KB, held by test/e2e/bundle.test.ts) |`,
  );
}

async function interactive(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { serve } = require(path.join(ROOT, "scripts", "preview-server.js")) as { serve(p: number): Promise<Server> };
  const server = await serve(0);
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const base = `http://127.0.0.1:${address.port}/`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { launchOptions } = require(path.join(ROOT, "scripts", "chromium.js")) as {
    launchOptions(): { executablePath: string; args: string[] };
  };
  const browser = await chromium.launch(launchOptions());
  const pane: number[] = [];
  const afterLoad: number[] = [];
  const blank: number[] = [];
  for (let i = 0; i < 7; i++) {
    const page = await browser.newPage();
    await page.goto(base);
    // From navigation start to the moment the Kontrollera button can be pressed.
    pane.push(
      await page
        .waitForFunction(() => {
          const b = [...document.querySelectorAll("button")].find((x) => x.textContent === "Kontrollera");
          return b && !b.disabled ? performance.now() : false;
        })
        .then((h) => h.jsonValue() as Promise<number>),
    );
    const loaded = await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd,
    );
    afterLoad.push(pane[pane.length - 1] - loaded);
    await page.goto(`${base}assets/icon-32.png`);
    blank.push(await page.evaluate(() => performance.now()));
    await page.close();
  }
  await browser.close();
  await new Promise((r) => server.close(r));
  section("Task pane start-up", "The preview page in headless Chromium, median of 7 loads.");
  emit("| what | time |");
  emit("|---|---:|");
  emit(`| a bare page (an icon), for comparison | ${fmt(median(blank))} ms |`);
  emit(`| pane interactive (Kontrollera can be pressed), from navigation start | ${fmt(median(pane))} ms |`);
  emit(`| pane interactive, after the page's load event | ${fmt(median(afterLoad))} ms (target ≤ 300 ms) |`);
}

async function bigSheet(): Promise<void> {
  const rows: (string | number | null)[][] = [["Belopp i tkr", "Budget 2025", "Prognos 2025", "Avvikelse"]];
  for (let k = 0; k < 4990; k++) rows.push([`Konto ${4000 + k}`, -(k % 97) - 1, -(k % 89) - 1, null]);
  rows.push(["Verksamhetens kostnader", null, null, null]);
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const data = new FakeWorkbookData([FakeSheetData.fromRows("Uppföljning", rows)]);
    const ctx = new FakeRequestContext(data) as unknown as Excel.RequestContext;
    const start = performance.now();
    const read = await readActiveSheet(ctx);
    const result = checkGrid(read.grid);
    if (!result.ok) throw new Error(result.detail);
    await applyPlan(ctx, read, result.report.computed, result.plan);
    runs.push(performance.now() - start);
  }
  section(
    "A 5 000-line sheet in the add-in",
    "In the in-memory Excel, no network delay: read, check and write, median of 7.",
  );
  emit("| what | time |");
  emit("|---|---:|");
  emit(`| read + detect + check + plan + write (2 syncs) | ${fmt(median(runs))} ms (target ≤ 200 ms) |`);
}

export async function addin(): Promise<void> {
  bundle();
  await interactive();
  await bigSheet();
}
