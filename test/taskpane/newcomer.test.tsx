/** @jest-environment jsdom */
/**
 * What a newcomer met in the pane: a one-cell selection, a selection without a table, thresholds
 * that hide every deviation, an entry that is not a number, the change list's wording, and notices
 * that outlive their action.
 */
import * as React from "react";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { fakeRunner, FakeWorkbookData } from "../../src/preview/fake-excel";
import { App } from "../../src/taskpane/components/App";
import { excelHost } from "../../src/taskpane/excel-host";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";

function pane(data: FakeWorkbookData): void {
  const host = excelHost(fakeRunner(data), "sv");
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={host} lang="sv" />
    </FluentProvider>,
  );
}

async function press(name: string): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name }));
  });
}

const status = (): string => screen.getByRole("status").textContent ?? "";
const SETTINGS = "prognoskoll.settings";

test("a one-cell selection is not taken for the table: the pane says what to select, and saves nothing", async () => {
  const data = referenceWorkbook();
  pane(data);
  await press("Kontrollera");
  data.selection = "Uppföljning!B7";
  await press("Använd markeringen som tabell");
  expect(status()).toContain("Markera hela tabellen, från rubrikraden till sista raden");
  expect(data.settings.has(SETTINGS)).toBe(false);
});

test("a selection in which no table is found is not saved, and the pane says why", async () => {
  const data = referenceWorkbook();
  pane(data);
  await press("Kontrollera");
  data.selection = "Uppföljning!A1:B2";
  await press("Använd markeringen som tabell");
  expect(status()).toMatch(/^Markeringen sparades inte: .+ Markera hela tabellen/);
  expect(data.settings.get(SETTINGS) ?? {}).toEqual({});
  // The sheet's own table is still the one checked.
  expect(screen.getByRole("region", { name: "Negativa avvikelser" }).querySelectorAll("li").length).toBe(2);
});

test("thresholds that hide every negative deviation say which, and how many are hidden", async () => {
  const data = referenceWorkbook();
  data.settings.set(SETTINGS, { thresholdAmount: 5000, thresholdPercent: 10 });
  pane(data);
  await press("Kontrollera");
  const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
  expect(flags.textContent).toContain(
    "Inga avvikelser under \u22125\u00a0000 tkr eller \u221210,0 % av budget. 2 mindre negativa avvikelser visas inte.",
  );
});

test("a threshold that is not a number gets a visible message, which goes when a number is entered", async () => {
  pane(referenceWorkbook());
  await press("Kontrollera");
  const amount = screen.getByLabelText("Flagga avvikelser från (belopp i tkr)") as HTMLInputElement;
  await act(async () => {
    fireEvent.change(amount, { target: { value: "fem tusen" } });
    fireEvent.blur(amount);
  });
  expect(screen.getByRole("alert").textContent).toBe("Skriv ett tal, 0 eller större (eller lämna tomt).");
  await act(async () => {
    fireEvent.change(amount, { target: { value: "5000" } });
    fireEvent.keyDown(amount, { key: "Enter" });
  });
  expect(screen.queryByRole("alert")).toBeNull();
});

test("the change list names each change's column and cell, reads without arrows, and can be skipped", async () => {
  pane(referenceWorkbook());
  await press("Kontrollera");
  const list = screen.getByRole("region", { name: "16 ändringar att skriva" });
  const rows = [...list.querySelectorAll("li")];
  expect(rows.length).toBe(16);
  expect(rows.map((r) => r.querySelector("span")?.textContent)).toContain("Avvikelse D8 · Köp av tjänster");
  expect(rows.map((r) => r.querySelector("span")?.textContent)).toContain("Budget B10 · Verksamhetens kostnader");
  expect(rows.map((r) => r.querySelector("span")?.textContent)).toContain("Prognos C10 · Verksamhetens kostnader");
  for (const arrow of list.querySelectorAll("li [aria-hidden='true']")) expect(arrow.textContent).toBe("→");
  const skip = screen.getByRole("link", { name: "Hoppa förbi listan över ändringar" });
  const target = document.getElementById(skip.getAttribute("href")!.slice(1));
  expect(target).not.toBeNull();
  expect(list.contains(target)).toBe(false);
  expect(screen.getByText(/Budget B, prognos C, avvikelse D/)).toBeTruthy();
});

test("with differences kept, the heading counts the rows it lists", async () => {
  const rows = referenceRows();
  rows[7][3] = -3900; // Köp av tjänster: a typo in the deviation
  pane(referenceWorkbook(rows));
  await press("Kontrollera");
  const list = screen.getByRole("region", { name: /^16 ändringar, varav 1 skrivs bara med kryss$/ });
  expect(list.querySelectorAll("li").length).toBe(16);
});

test("a notice clears when the next action starts, and the pending state is not shown as an error", async () => {
  const rows = referenceRows();
  rows[7][3] = -3900;
  const withError = referenceWorkbook(rows);
  pane(withError);
  await press("Kontrollera");
  const errorClass = screen.getByText("1 fel återstår").className;
  document.body.innerHTML = "";
  pane(referenceWorkbook());
  await press("Kontrollera");
  const pending = screen.getByText("Skriv 16 ändringar till arbetsboken, sedan är bladet klart");
  expect(pending.className).not.toBe(errorClass);
  await press("Skriv till arbetsboken");
  expect(status()).toContain("16 celler skrevs.");
  await press("Kontrollera");
  expect(status()).not.toContain("16 celler skrevs.");
  expect(status()).toContain("Klar att skicka in");
});
