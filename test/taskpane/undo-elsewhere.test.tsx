/** @jest-environment jsdom */
/** Ångra of a write made from another computer asks first; Avbryt leaves the sheet as it is. */
import * as React from "react";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { fakeRunner, type FakeWorkbookData } from "../../src/preview/fake-excel";
import { App } from "../../src/taskpane/components/App";
import { excelHost } from "../../src/taskpane/excel-host";
import { referenceWorkbook } from "../helpers/fake-workbooks";

const cells = (data: FakeWorkbookData) => JSON.stringify([...data.sheets[0].cells].sort());

async function writtenElsewhere(): Promise<{ data: FakeWorkbookData; before: string }> {
  const data = referenceWorkbook();
  const before = cells(data);
  const anna = excelHost(fakeRunner(data), "sv", "anna");
  const outcome = await anna.check();
  if (!outcome.ok) throw new Error(outcome.message);
  await anna.write(outcome.plan);
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={excelHost(fakeRunner(data), "sv", "bo")} lang="sv" />
    </FluentProvider>,
  );
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kontrollera" }));
  });
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Ångra" }));
  });
  return { data, before };
}

test("the pane asks before undoing another computer's write, and undoes it when told to", async () => {
  const { data, before } = await writtenElsewhere();
  const ask = await screen.findByRole("alertdialog");
  expect(ask.textContent).toMatch(
    /^Den senaste skrivningen gjordes från en annan dator \(.+\)\. Vill du ångra den ändå\?/,
  );
  expect(cells(data)).not.toBe(before);
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Ångra ändå" }));
  });
  await screen.findByText("16 celler återställdes.");
  expect(cells(data)).toBe(before);
  expect(screen.queryByRole("alertdialog")).toBeNull();
});

test("Avbryt leaves the other computer's write in place", async () => {
  const { data, before } = await writtenElsewhere();
  await screen.findByRole("alertdialog");
  const written = cells(data);
  fireEvent.click(screen.getByRole("button", { name: "Avbryt" }));
  expect(screen.queryByRole("alertdialog")).toBeNull();
  expect(cells(data)).toBe(written);
  expect(written).not.toBe(before);
});

test("a write cut off midway says so, and Ångra finishes the job once Excel answers again", async () => {
  const data = referenceWorkbook();
  const before = cells(data);
  // Requests of about 2 KB: the write goes in several parts.
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={excelHost(fakeRunner(data), "sv", "anna", { maxRequestBytes: 2_000 })} lang="sv" />
    </FluentProvider>,
  );
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kontrollera" }));
  });
  await screen.findByText(/^Skriv 16 ändringar/);
  expect((screen.getByRole("button", { name: "Ångra" }) as HTMLButtonElement).disabled).toBe(true);
  // The connection is lost after the write's third request: the snapshot and some cells are written.
  const start = data.syncCount;
  data.failSync = (n) => (n > start + 3 ? "ConnectionLost" : null);
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Skriv till arbetsboken" }));
  });
  await screen.findByText(/^Skrivningen avbröts \(.*\) och kunde inte tas tillbaka\. Tryck Ångra/);
  expect(cells(data)).not.toBe(before);
  data.failSync = null;
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Ångra" }));
  });
  await screen.findByText(/celler? återställdes\.$/);
  expect(cells(data)).toBe(before);
});
