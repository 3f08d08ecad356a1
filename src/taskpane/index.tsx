import * as React from "react";
import { createRoot } from "react-dom/client";
import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { App } from "./components/App";
import { excelHost } from "./excel-host";
import { randomId } from "../excel/undo-store";
import { langOf, STRINGS } from "./strings";

/** Dark when Office's own background is dark. */
function isDark(color: string | undefined): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color ?? "");
  if (!m) return false;
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}

const INSTALLATION = "prognoskoll.installation";

/**
 * This installation's id, kept in the browser storage of the pane (no user identity, nothing sent
 * anywhere): it tells the pane's undo which writes were made here. Where storage is blocked, it
 * lasts as long as the pane is open.
 */
function installationId(): string {
  try {
    const kept = localStorage.getItem(INSTALLATION);
    if (kept) return kept;
    const id = randomId();
    localStorage.setItem(INSTALLATION, id);
    return id;
  } catch {
    return randomId();
  }
}

void Office.onReady((info) => {
  const root = document.getElementById("app")!;
  const lang = langOf(Office.context?.displayLanguage);
  document.documentElement.lang = lang;
  if (info.host !== Office.HostType.Excel) {
    root.textContent = STRINGS[lang].title;
    return;
  }
  const theme = isDark(Office.context.officeTheme?.bodyBackgroundColor) ? webDarkTheme : webLightTheme;
  // The page around the pane takes the theme's colours too.
  document.body.style.background = theme.colorNeutralBackground1;
  document.body.style.color = theme.colorNeutralForeground1;
  // Excel keeps add-in actions on the user's undo stack from ExcelApi 1.20.
  const undoGroups = Office.context.requirements.isSetSupported("ExcelApi", "1.20");
  const host = excelHost(
    (batch, options) =>
      options?.context !== undefined
        ? Excel.run(options.context as Excel.RequestContext, batch)
        : Excel.run(
            {
              delayForCellEdit: options?.delayForCellEdit === true,
              ...(undoGroups && options?.mergeUndoGroup ? { mergeUndoGroup: true } : {}),
            },
            batch,
          ),
    lang,
    installationId(),
  );
  createRoot(root).render(
    <FluentProvider theme={theme}>
      <App host={host} lang={lang} />
    </FluentProvider>,
  );
});
