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
