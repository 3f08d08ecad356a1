/** @jest-environment jsdom */
import * as React from "react";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { Lang } from "../../src/core";
import { fakeRunner, FakeSheetData, FakeWorkbookData } from "../../src/preview/fake-excel";
import { App, RECHECK_MS } from "../../src/taskpane/components/App";
import { excelHost } from "../../src/taskpane/excel-host";
import { referenceRows, referenceWorkbook } from "../helpers/fake-workbooks";

function pane(data: FakeWorkbookData, lang: Lang = "sv") {
  const host = excelHost(fakeRunner(data), lang);
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={host} lang={lang} />
    </FluentProvider>,
  );
}

const button = (name: string) => screen.getByRole("button", { name });

async function press(name: string): Promise<void> {
  await act(async () => {
    fireEvent.click(button(name));
  });
}

describe("the task pane", () => {
  test("starts with the three buttons; only Kontrollera can be pressed", () => {
    pane(referenceWorkbook());
    expect((button("Kontrollera") as HTMLButtonElement).disabled).toBe(false);
    expect((button("Skriv till arbetsboken") as HTMLButtonElement).disabled).toBe(true);
    expect((button("Ångra") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("status").textContent).toBe("Tryck på Kontrollera för att granska bladet.");
  });

  test("checks the sheet: status, flags by size with amount and percent, and the changes to write", async () => {
    pane(referenceWorkbook());
    await press("Kontrollera");
    expect(screen.getByRole("status").textContent).toBe("Skriv 16 ändringar till arbetsboken, sedan är bladet klart");
    const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
    const items = [...flags.querySelectorAll("li")].map((li) => li.textContent);
    expect(items).toEqual([
      "D8 Köp av tjänster\u22124\u00a0000 (\u22126,3 %)",
      "D10 Verksamhetens kostnader\u22123\u00a0000 (\u22121,0 %)",
    ]);
    expect(screen.getByRole("region", { name: "16 ändringar att skriva" })).toBeTruthy();
    expect((button("Skriv till arbetsboken") as HTMLButtonElement).disabled).toBe(false);
  });

  test("writes in one batch, and Ångra takes it back", async () => {
    const data = referenceWorkbook();
    const before = JSON.stringify([...data.sheets[0].cells]);
    pane(data);
    await press("Kontrollera");
    await press("Skriv till arbetsboken");
    expect(data.sheets[0].get(7, 3)?.value).toBe(-4000);
    expect(screen.getByRole("status").textContent).toContain("16 celler skrevs.");
    expect(screen.getByRole("status").textContent).toContain("Klar att skicka in");
    expect(screen.getByRole("region", { name: "Inget att skriva: avvikelser och summor stämmer." })).toBeTruthy();
    await press("Ångra");
    expect(JSON.stringify([...data.sheets[0].cells])).toBe(before);
    expect(screen.getByRole("status").textContent).toContain("16 celler återställdes.");
  });

  test("a stale figure is replaced only when the user ticks the box", async () => {
    const rows = referenceRows();
    rows[7][3] = -3900; // Köp av tjänster: a typo in the deviation
    const data = referenceWorkbook(rows);
    pane(data);
    await press("Kontrollera");
    expect(screen.getByRole("status").textContent).toBe("1 fel återstår");
    await press("Skriv till arbetsboken");
    expect(data.sheets[0].get(7, 3)?.value).toBe(-3900);
    await press("Kontrollera");
    await act(async () => {
      fireEvent.click(
        screen.getByRole("checkbox", { name: "Ersätt också 1 inskrivna värden eller formler som är fel" }),
      );
    });
    await press("Skriv till arbetsboken");
    expect(data.sheets[0].get(7, 3)?.value).toBe(-4000);
  });

  test("a flag selects its cell in the sheet", async () => {
    const data = referenceWorkbook();
    pane(data);
    await press("Kontrollera");
    await act(async () => {
      const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
      fireEvent.click(flags.querySelector('[title$="Gå till D8"]')!);
    });
    expect(data.selection).toBe("Uppföljning!D8");
  });

  test("says plainly when there is no budget table", async () => {
    pane(new FakeWorkbookData([FakeSheetData.fromRows("Blad1", [["Mötesanteckningar"], ["Inget här"]])]));
    await press("Kontrollera");
    expect(screen.getByRole("status").textContent).toBe(
      "Ingen rubrikrad anger både en budgetkolumn och en prognos- eller utfallskolumn.",
    );
    expect((button("Skriv till arbetsboken") as HTMLButtonElement).disabled).toBe(true);
  });

  test("writes nothing to a protected sheet, and says why", async () => {
    const data = referenceWorkbook();
    data.sheets[0].protected = true;
    pane(data);
    await press("Kontrollera");
    await press("Skriv till arbetsboken");
    expect(data.sheets[0].get(7, 3)).toBeUndefined();
    expect(screen.getByRole("status").textContent).toContain("Bladet är skyddat.");
  });

  test("speaks English when Office does", async () => {
    pane(referenceWorkbook(), "en");
    await press("Check");
    expect(screen.getByRole("status").textContent).toBe("Write 16 changes to the workbook, then the sheet is ready");
    expect(button("Write to workbook")).toBeTruthy();
    expect(button("Undo")).toBeTruthy();
  });

  test("re-checks by itself, read-only, when the economist edits the sheet", async () => {
    const data = referenceWorkbook();
    pane(data);
    await press("Kontrollera");
    const writesBefore = data.writes;
    await act(async () => {
      await data.edit("Uppföljning", "C8", { value: -68743 });
    });
    // The re-check comes once the pause after the edit is over, however busy the machine.
    const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
    await waitFor(
      () => expect(flags.querySelector("li")!.textContent).toBe("D8 Köp av tjänster\u22125\u00a0000 (\u22127,8 %)"),
      { timeout: RECHECK_MS + 30_000 },
    );
    expect(data.writes).toBe(writesBefore);
  });

  test("settings are kept in the workbook: a threshold and formulas hold when the pane is opened again", async () => {
    const data = referenceWorkbook();
    pane(data);
    await press("Kontrollera");
    const amount = screen.getByLabelText("Flagga avvikelser från (belopp i tkr)") as HTMLInputElement;
    await act(async () => {
      fireEvent.change(amount, { target: { value: "3 500" } });
      fireEvent.blur(amount);
    });
    await act(async () => {
      fireEvent.click(screen.getByLabelText("Skriv formler i stället för värden"));
    });
    expect(data.settings.get("prognoskoll.settings")).toEqual({ thresholdAmount: 3500, formulas: true });
    cleanup();
    pane(data);
    await press("Kontrollera");
    const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
    expect([...flags.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "D8 Köp av tjänster\u22124\u00a0000 (\u22126,3 %)",
    ]);
    expect((screen.getByLabelText("Flagga avvikelser från (belopp i tkr)") as HTMLInputElement).value).toBe("3500");
    await press("Skriv till arbetsboken");
    expect(data.sheets[0].get(7, 3)).toEqual({ value: -4000, formula: "=C8-B8" });
    expect(data.sheets[0].get(9, 1)).toEqual({ value: -288639, formula: "=SUM(B6:B9)" });
  });

  test("the economist can point out the table: the selection is used, and remembered", async () => {
    // A small summary table above the sheet's real table: detection takes the first.
    const rows = referenceRows();
    const data = referenceWorkbook([
      ["Sammanfattning", "Budget 2025", "Prognos 2025"],
      ["Årets resultat", 0, -1000],
      [],
      ...rows,
    ]);
    pane(data);
    await press("Kontrollera");
    expect(screen.getByRole("status").textContent).toContain("varning");
    data.selection = "Uppföljning!A7:D17";
    await press("Använd markeringen som tabell");
    expect(data.settings.get("prognoskoll.settings")).toEqual({ table: { sheet: "Uppföljning", address: "A7:D17" } });
    expect(screen.getByText("Tabellen är den du markerade: A7:D17.")).toBeTruthy();
    const flags = screen.getByRole("region", { name: "Negativa avvikelser" });
    expect(flags.querySelector("li")!.textContent).toBe("D11 Köp av tjänster\u22124\u00a0000 (\u22126,3 %)");
    expect(screen.getByRole("status").textContent).toBe("Skriv 16 ändringar till arbetsboken, sedan är bladet klart");
    await press("Hitta tabellen själv");
    expect(data.settings.get("prognoskoll.settings")).toEqual({});
  });

  test("the highlighting can be removed, leaving the sheet's own formats and every figure", async () => {
    const data = referenceWorkbook();
    pane(data);
    await press("Kontrollera");
    await press("Skriv till arbetsboken");
    const cellsBefore = JSON.stringify([...data.sheets[0].cells]);
    expect(data.sheets[0].conditionalFormats.length).toBe(1);
    await press("Ta bort färgmarkeringarna i bladet");
    expect(data.sheets[0].conditionalFormats).toEqual([]);
    expect(JSON.stringify([...data.sheets[0].cells])).toBe(cellsBefore);
    expect(screen.getByRole("status").textContent).toContain("Färgmarkeringarna av negativa avvikelser är borttagna.");
  });

  test("a threshold that is not a number is marked and not saved; Enter saves a good one", async () => {
    const data = referenceWorkbook();
    pane(data);
    await press("Kontrollera");
    const amount = screen.getByLabelText("Flagga avvikelser från (belopp i tkr)") as HTMLInputElement;
    await act(async () => {
      fireEvent.change(amount, { target: { value: "många" } });
      fireEvent.blur(amount);
    });
    expect(amount.getAttribute("aria-invalid")).toBe("true");
    expect(data.settings.has("prognoskoll.settings")).toBe(false);
    await act(async () => {
      fireEvent.change(amount, { target: { value: "3500" } });
      fireEvent.keyDown(amount, { key: "Enter" });
    });
    expect(amount.getAttribute("aria-invalid")).toBe("false");
    expect(data.settings.get("prognoskoll.settings")).toEqual({ thresholdAmount: 3500 });
  });
});
