/**
 * `npm run preview`: the bundled example workbook as a grid beside the real task pane, which runs
 * against the in-memory Excel. For trying the add-in without Excel; never part of the add-in.
 */
import * as React from "react";
import { createRoot } from "react-dom/client";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { App } from "../taskpane/components/App";
import { excelHost } from "../taskpane/excel-host";
import { fakeRunner, FakeSheetData, FakeWorkbookData, type FakeCell } from "./fake-excel";
import { GridView } from "./GridView";

interface ExampleSheet {
  name: string;
  rows: (string | number | boolean | null | FakeCell)[][];
}

function Preview({ data }: { data: FakeWorkbookData }): React.JSX.Element {
  const [, setVersion] = React.useState(0);
  const select = (address: string): void => {
    data.selection = `${data.active}!${address}`;
    setVersion((v) => v + 1);
  };
  const host = React.useMemo(
    () =>
      excelHost(
        fakeRunner(data, () => setVersion((v) => v + 1)),
        "sv",
      ),
    [data],
  );
  return (
    <div className="preview">
      <section className="sheet" aria-label="Arbetsbok">
        <GridView sheet={data.sheet(data.active)} selection={data.selection} onSelect={select} />
      </section>
      <aside className="pane">
        <FluentProvider theme={webLightTheme}>
          <App host={host} lang="sv" />
        </FluentProvider>
      </aside>
    </div>
  );
}

async function start(): Promise<void> {
  const sheets = (await (await fetch("example.json", { credentials: "same-origin" })).json()) as ExampleSheet[];
  const data = new FakeWorkbookData(sheets.map((s) => FakeSheetData.fromRows(s.name, s.rows)));
  createRoot(document.getElementById("app")!).render(<Preview data={data} />);
}

// The preview needs nothing from Office to run: it renders first, then loads office.js (from the
// @microsoft/office-js package, served by the preview server) as a page in Office would have it.
void start().then(() => {
  const office = document.createElement("script");
  office.src = "office/office.js";
  document.head.append(office);
});
