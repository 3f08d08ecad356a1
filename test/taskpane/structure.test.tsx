/** @jest-environment jsdom */
import * as React from "react";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { SETTINGS } from "../../src/excel/adapter";
import { fakeRunner, type FakeWorkbookData } from "../../src/preview/fake-excel";
import { App } from "../../src/taskpane/components/App";
import { excelHost } from "../../src/taskpane/excel-host";
import { referenceWorkbook } from "../helpers/fake-workbooks";

/** The pane's sign convention and sums: what the check decided, on what evidence, and the economist's own choice. */

function pane(data: FakeWorkbookData) {
  const host = excelHost(fakeRunner(data), "sv");
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={host} lang="sv" />
    </FluentProvider>,
  );
}

async function check(): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kontrollera" }));
  });
}

const conventionText = (): string => screen.getByTestId("convention").textContent ?? "";
const flagged = (): string[] =>
  [...screen.getByRole("region", { name: "Negativa avvikelser" }).querySelectorAll("li")].map(
    (li) => li.querySelector("span")?.textContent ?? "",
  );

afterEach(cleanup);

test("shows the convention the sheet's figures follow, and what that rests on", async () => {
  pane(referenceWorkbook());
  await check();
  expect(conventionText()).toBe(
    "resultatform (intäkter +, kostnader −; avvikelse = prognos − budget). Grund: tecknen på 12 belopp på rader av känt slag.",
  );
  const select = screen.getByRole("combobox", { name: /Teckenkonvention/ }) as HTMLSelectElement;
  expect(select.value).toBe("");
  expect(select.options[0].textContent).toBe("Avgör ur bladet: resultatform");
});

test("a convention chosen in the pane is saved in the workbook and used from then on", async () => {
  const data = referenceWorkbook();
  pane(data);
  await check();
  expect(flagged()).toEqual(["D8 Köp av tjänster", "D10 Verksamhetens kostnader"]);
  await act(async () => {
    fireEvent.change(screen.getByRole("combobox", { name: /Teckenkonvention/ }), { target: { value: "ledger" } });
  });
  expect(data.settings.get(SETTINGS)).toEqual({ convention: "ledger" });
  expect(conventionText()).toBe(
    "huvudboksform (kostnader +, intäkter −; avvikelse = budget − prognos). Grund: vald av användaren.",
  );
  // Read as a ledger sheet, the revenue above budget and the costs below it are what is unfavourable.
  expect(flagged()).toEqual(["D5 Verksamhetens intäkter", "D6 Personalkostnader"]);
  // Back to the sheet's own evidence.
  await act(async () => {
    fireEvent.change(screen.getByRole("combobox", { name: /Teckenkonvention/ }), { target: { value: "" } });
  });
  expect(data.settings.get(SETTINGS)).toEqual({});
  expect(conventionText()).toContain("Grund: tecknen på 12 belopp");
});

test("lists the sum lines with the rows they add up, and each sum's parts on request", async () => {
  pane(referenceWorkbook());
  await check();
  const summary = screen.getByText("3 summarader");
  const sums = summary.closest("details")!;
  const items = [...sums.querySelectorAll(":scope > ul > li > details > summary")].map((s) => s.textContent);
  expect(items).toEqual([
    "Verksamhetens kostnader: summa av 6–9",
    "Verksamhetens nettokostnader: summa av 5, 10",
    "Årets resultat: summa av 11–13",
  ]);
  const parts = [...sums.querySelectorAll(":scope > ul > li")][0].querySelectorAll("details li");
  expect([...parts].map((p) => p.textContent)).toEqual([
    "6: Personalkostnader",
    "7: Lokalhyror",
    "8: Köp av tjänster",
    "9: Övriga kostnader",
  ]);
});
