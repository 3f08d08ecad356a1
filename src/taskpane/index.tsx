import * as React from "react";
import { createRoot } from "react-dom/client";
import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { App } from "./components/App";
import { excelHost } from "./excel-host";
import { langOf, STRINGS } from "./strings";

/** Dark when Office's own background is dark. */
function isDark(color: string | undefined): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color ?? "");
  if (!m) return false;
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
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
  const host = excelHost(
    (batch, options) =>
      options?.context !== undefined
        ? Excel.run(options.context as Excel.RequestContext, batch)
        : Excel.run({ delayForCellEdit: options?.delayForCellEdit === true }, batch),
    lang,
  );
  createRoot(root).render(
    <FluentProvider theme={theme}>
      <App host={host} lang={lang} />
    </FluentProvider>,
  );
});
