/** @jest-environment jsdom */
import * as React from "react";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { fakeRunner, FakeSheetData, FakeWorkbookData } from "../../src/preview/fake-excel";
import { App } from "../../src/taskpane/components/App";
import { excelHost, type Runner } from "../../src/taskpane/excel-host";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";

/** What the pane says, and leaves alone, when the sheet or Excel is not as it should be. */

function pane(data: FakeWorkbookData, runner?: Runner) {
  const run: Runner = runner ?? fakeRunner(data);
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={excelHost(run, "sv")} lang="sv" />
    </FluentProvider>,
  );
}

async function press(name: string): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name }));
  });
}

const status = () => screen.getByRole("status").textContent;
const cells = (data: FakeWorkbookData) => JSON.stringify([...data.sheets[0].cells]);

test("a sheet changed after the check is not written with the old plan", async () => {
  const data = referenceWorkbook();
  pane(data);
  await press("Kontrollera");
  await act(async () => {
    await data.edit("Uppföljning", "C8", { value: -68743 });
  });
  const before = cells(data);
  await press("Skriv till arbetsboken");
  expect(status()).toContain("Bladet har ändrats sedan kontrollen. Kontrollera igen innan du skriver.");
  // The pane's own refusal, not an error of Excel's.
  expect(status()).not.toContain("Excel svarade med ett fel");
  expect(cells(data)).toBe(before);
});

test("a cell being edited: Excel's refusal becomes a plain instruction", async () => {
  const data = referenceWorkbook();
  pane(data, async () => {
    throw Object.assign(new Error("The requested operation is invalid in cell edit mode."), {
      code: "InvalidOperationInCellEditMode",
    });
  });
  await press("Kontrollera");
  expect(status()).toBe("En cell redigeras. Tryck Enter eller Esc i cellen och försök igen.");
});

test("#REF! in every figure: the errors are shown and nothing is written", async () => {
  const rows = referenceRows().map((r, i) => (i >= 4 ? [r[0], "#REF!", "#REF!", "#REF!"] : r));
  const data = referenceWorkbook(rows);
  const before = cells(data);
  pane(data);
  await press("Kontrollera");
  expect(status()).toBe("30 fel återstår");
  expect(screen.getByRole("region", { name: "Inget att skriva: avvikelser och summor stämmer." })).toBeTruthy();
  expect((screen.getByRole("button", { name: "Skriv till arbetsboken" }) as HTMLButtonElement).disabled).toBe(true);
  expect(cells(data)).toBe(before);
});

test("a sheet of 100 000 rows is checked", async () => {
  const rows = referenceRows(100_000 - 10);
  const data = new FakeWorkbookData([FakeSheetData.fromRows("Uppföljning", rows)]);
  pane(data);
  await press("Kontrollera");
  expect(status()).toMatch(/Klar att skicka in|fel återstår|ändringar till arbetsboken/);
  expect(screen.getByRole("region", { name: /ändringar att skriva/ })).toBeTruthy();
}, 60_000);

test("merged cells across the deviation column: nothing is written, and the pane says which cells", async () => {
  const data = referenceWorkbook();
  data.sheets[0].merges.push("D8:D9");
  const before = cells(data);
  pane(data);
  await press("Kontrollera");
  await press("Skriv till arbetsboken");
  expect(status()).toContain("D9 ingår i sammanfogade celler och kan inte skrivas var för sig.");
  expect(cells(data)).toBe(before);
});
