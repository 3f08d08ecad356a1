/** @jest-environment jsdom */
/**
 * Change events as Office.js documents them: the re-check an edit sets off waits for the user to
 * leave the cell being edited (delayForCellEdit), and the handler is removed on the request
 * context it was added with.
 */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { fakeRunner } from "../../src/preview/fake-excel";
import { App } from "../../src/taskpane/components/App";
import { excelHost, type RunOptions, type Runner } from "../../src/taskpane/excel-host";
import { referenceWorkbook } from "../helpers/fake-workbooks";

test("the re-check after an edit runs with delayForCellEdit; a check the user asks for does not wait", async () => {
  const data = referenceWorkbook();
  const inner = fakeRunner(data);
  const calls: (RunOptions | undefined)[] = [];
  const runner: Runner = (batch, options) => {
    calls.push(options);
    return inner(batch, options);
  };
  render(
    <FluentProvider theme={webLightTheme}>
      <App host={excelHost(runner, "sv")} lang="sv" />
    </FluentProvider>,
  );
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kontrollera" }));
  });
  expect(calls[0]).toBeUndefined();
  const before = calls.length;
  await act(async () => {
    await data.edit("Uppföljning", "C8", { value: -68743 });
  });
  // However busy the machine, the re-check comes once the pause after the edit is over.
  await waitFor(() => expect(calls.length).toBeGreaterThan(before), { timeout: 30_000 });
  expect(calls.slice(before)).toEqual([{ delayForCellEdit: true }]);
});

test("closing the pane removes its change handler through the handler's own request context", async () => {
  const data = referenceWorkbook();
  const { unmount } = render(
    <FluentProvider theme={webLightTheme}>
      <App host={excelHost(fakeRunner(data), "sv")} lang="sv" />
    </FluentProvider>,
  );
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kontrollera" }));
  });
  await waitFor(() => expect(data.listeners.size).toBe(1), { timeout: 30_000 });
  unmount();
  await waitFor(() => expect(data.listeners.size).toBe(0), { timeout: 30_000 });
});
