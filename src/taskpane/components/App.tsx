import * as React from "react";
import { Button, makeStyles, tokens } from "@fluentui/react-components";
import {
  conventionEvidenceText,
  conventionName,
  CONVENTIONS,
  formatAmount,
  readiness,
  rowList,
  toCents,
  type CellValue,
  type CellWrite,
  type Convention,
  type Lang,
  type Report,
  type ReportLine,
  type WritePlan,
} from "../../core";
import type { CheckOutcome, PaneHost } from "../host";
import { STRINGS } from "../strings";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    color: tokens.colorNeutralForeground1,
    "& p": { margin: 0 },
  },
  title: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorBrandForeground1,
  },
  buttons: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  ask: {
    padding: tokens.spacingHorizontalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorPaletteMarigoldBorder2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  status: { fontWeight: tokens.fontWeightSemibold },
  ready: { color: tokens.colorPaletteGreenForeground1 },
  notReady: { color: tokens.colorPaletteRedForeground1 },
  pending: { color: tokens.colorNeutralForeground1 },
  figure: { flex: "0 0 auto", textAlign: "end", whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" },
  // One line per row, however narrow the pane: a long label ends in "…" (the row's title has it whole).
  label: { flex: "1 1 auto", minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  invalid: { color: tokens.colorPaletteRedForeground1, margin: 0 },
  skip: {
    position: "absolute",
    left: "-10000px",
    ":focus": { position: "static", left: "auto" },
  },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: "2px" },
  row: {
    display: "flex",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    width: "100%",
    textAlign: "start",
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    border: "none",
    borderRadius: tokens.borderRadiusMedium,
    background: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
    cursor: "pointer",
    font: "inherit",
    ":hover": { background: tokens.colorNeutralBackground2Hover },
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
  negative: { color: tokens.colorPaletteRedForeground1, whiteSpace: "nowrap" },
  muted: { color: tokens.colorNeutralForeground3 },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  small: { fontSize: tokens.fontSizeBase200 },
  settings: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    marginTop: tokens.spacingVerticalS,
  },
  check: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalXS} 0`,
  },
});

/** How long the pane waits after an edit before it checks again. */
export const RECHECK_MS = 600;
/** The most rows a list shows; the rest are counted. */
export const LIST_LIMIT = 100;

/**
 * A number the workbook keeps (a threshold): saved on Enter or when leaving the field; empty
 * clears it; anything that is not a number of zero or more is marked and not saved.
 */
function NumberSetting(props: {
  label: string;
  size: number;
  value: number | undefined;
  onSave: (value: number | undefined) => void;
}): React.JSX.Element {
  const t = React.useContext(Words);
  const styles = useStyles();
  const id = React.useId();
  const [invalid, setInvalid] = React.useState(false);
  const save = (text: string): void => {
    const n = Number(text.replace(",", ".").replace(/\s/g, ""));
    if (text.trim() === "") props.onSave(undefined);
    else if (Number.isFinite(n) && n >= 0) props.onSave(n);
    else return setInvalid(true);
    setInvalid(false);
  };
  return (
    <div>
      <label>
        {props.label}{" "}
        <input
          type="text"
          inputMode="decimal"
          size={props.size}
          defaultValue={props.value ?? ""}
          aria-invalid={invalid}
          aria-describedby={invalid ? id : undefined}
          onBlur={(e) => save(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && save(e.currentTarget.value)}
        />
      </label>
      {invalid && (
        <p id={id} role="alert" className={styles.invalid}>
          {t.notANumber}
        </p>
      )}
    </div>
  );
}

/** Which lines are sums, and of which rows; each sum's parts shown on request. */
function Structure(props: { lines: ReportLine[]; onSelect: (cell: string) => void }): React.JSX.Element | null {
  const t = React.useContext(Words);
  const styles = useStyles();
  const sums = props.lines.filter((l) => l.kind === "sum");
  const itemising = props.lines.filter((l) => l.itemises !== null);
  if (sums.length === 0 && itemising.length === 0) return null;
  const byRow = new Map(props.lines.map((l) => [l.row, l]));
  return (
    <details>
      <summary>{t.sums(sums.length)}</summary>
      <ul className={styles.list}>
        {sums.slice(0, LIST_LIMIT).map((s) => (
          <li key={s.row}>
            <details>
              <summary>
                {s.label}: {t.sumOf(rowList(s.parts))}
              </summary>
              <ul className={styles.list}>
                {s.parts.slice(0, LIST_LIMIT).map((r) => (
                  <li key={r}>
                    <button className={styles.row} onClick={() => props.onSelect(byRow.get(r)?.cells.label ?? `A${r}`)}>
                      <span>
                        {r}: {byRow.get(r)?.label}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <More total={s.parts.length} />
            </details>
          </li>
        ))}
        {itemising.slice(0, LIST_LIMIT).map((l) => (
          <li key={l.row} className={styles.muted}>
            {l.row}: {l.label}, {t.itemises(l.itemises!)}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** "… and N more" under a list cut at LIST_LIMIT rows. */
function More({ total }: { total: number }): React.JSX.Element | null {
  const t = React.useContext(Words);
  return total > LIST_LIMIT ? <p>{t.more(total - LIST_LIMIT)}</p> : null;
}

const Words = React.createContext(STRINGS.sv);

export interface AppProps {
  host: PaneHost;
  lang: Lang;
}

type Busy = null | "check" | "write" | "undo";

/** The task pane: check the sheet, see what is wrong and unfavourable, write, take it back. */
export function App({ host, lang }: AppProps): React.JSX.Element {
  const t = STRINGS[lang];
  const styles = useStyles();
  const [outcome, setOutcome] = React.useState<CheckOutcome | null>(null);
  const [busy, setBusy] = React.useState<Busy>(null);
  const [notice, setNotice] = React.useState<string | null>(null);
  const [replace, setReplace] = React.useState(false);
  // A write made from another computer: when, while the pane asks before undoing it.
  const [askUndo, setAskUndo] = React.useState<Date | null>(null);
  const locale = lang === "en" ? "en-GB" : "sv-SE";
  const amount = (x: number): string => formatAmount(toCents(x), undefined, locale);
  const percent = (p: number): string =>
    `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p)} %`;

  const run = async (kind: Busy, action: () => Promise<void>): Promise<void> => {
    setBusy(kind);
    setNotice(null);
    setAskUndo(null);
    try {
      await action();
    } catch (e) {
      setNotice((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const check = (): Promise<void> =>
    run("check", async () => {
      setOutcome(await host.check());
      setReplace(false);
    });
  // Once the sheet has been checked, an edit re-checks it by itself (read-only), after a pause.
  const checked = outcome !== null;
  const busyRef = React.useRef<Busy>(null);
  busyRef.current = busy;
  React.useEffect(() => {
    if (!checked) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop: (() => Promise<void>) | undefined;
    let live = true;
    void host
      .watch(() => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (live && busyRef.current === null) {
            host.check({ afterEdit: true }).then(
              (o) => live && setOutcome(o),
              (e: Error) => live && setNotice(e.message),
            );
          }
        }, RECHECK_MS);
      })
      .then(
        (s) => (live ? (stop = s) : void s().catch(() => undefined)),
        () => undefined, // Without change events the host reads the sheet again before writing.
      );
    return () => {
      live = false;
      clearTimeout(timer);
      void stop?.().catch(() => undefined);
    };
  }, [checked, host]);
  const settings = outcome?.settings ?? {};
  const saveSetting = (change: Partial<typeof settings>): Promise<void> =>
    run("check", async () => {
      await host.saveSettings({ ...settings, ...change });
      setOutcome(await host.check());
    });
  const useSelection = (): Promise<void> =>
    run("check", async () => {
      const table = await host.selection();
      if (!table.address.includes(":")) {
        setNotice(t.selectTable);
        return;
      }
      // Before the first check the pane has not read the workbook's settings yet.
      const current = outcome ? settings : await host.settings();
      await host.saveSettings({ ...current, table });
      const tried = await host.check();
      if (tried.ok) {
        setOutcome(tried);
        return;
      }
      // A choice that finds no table is not kept.
      await host.saveSettings(current);
      setOutcome(await host.check());
      setNotice(`${t.selectionNoTable(tried.message)} ${t.selectTable}`);
    });
  const findTable = (): Promise<void> => saveSetting({ table: undefined });
  const select = (cell: string): void => {
    host.select(cell).catch((e: Error) => setNotice(e.message));
  };
  const unflag = (): Promise<void> =>
    run("write", async () => {
      const n = await host.removeFlags();
      setNotice(n > 0 ? t.unflagged : t.noFlagsToRemove);
    });
  const plan = outcome?.ok ? outcome.plan : null;
  const replacing = plan ? plan.writes.filter((w) => w.reason === "stale" || w.reason === "wrong-formula") : [];
  const accepted: WritePlan | null = plan
    ? { ...plan, writes: plan.writes.filter((w) => replace || !replacing.includes(w)) }
    : null;
  const write = (): Promise<void> =>
    run("write", async () => {
      const n = await host.write(accepted!).catch((e: unknown) => {
        // A write cut off midway left its snapshot for Ångra to finish with.
        if ((e as { undoable?: boolean }).undoable) setOutcome((o) => o && { ...o, canUndo: true });
        throw e;
      });
      setOutcome(await host.check());
      setNotice(t.written(n));
    });
  const undo = (elsewhere = false): Promise<void> =>
    run("undo", async () => {
      const n = await host.undo({ elsewhere });
      if (typeof n !== "number") {
        setAskUndo(n.elsewhere);
        return;
      }
      setOutcome(await host.check());
      setNotice(n > 0 ? t.undone(n) : t.nothingToUndo);
    });
  const when = (d: Date): string =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
  const ids = React.useId().replace(/:/g, "");
  const columnOf = (target: CellWrite["target"]): string =>
    target === "comparison" && outcome?.ok
      ? t.columnName[outcome.report.comparisonKind]
      : t.columnName[target === "comparison" ? "forecast" : target];
  /** No flags: say so, and when thresholds hide negative deviations, which and how many. */
  const noFlagsText = (report: Report): string => {
    const negative = report.lines.filter((l) => l.deviation !== null && l.deviation < 0).length;
    const hidden = negative - report.flags.length;
    if (hidden <= 0) return t.noFlags;
    const limits: string[] = [];
    if (settings.thresholdAmount !== undefined) {
      limits.push(`${amount(-settings.thresholdAmount)}${report.unit ? ` ${report.unit}` : ""}`);
    }
    if (settings.thresholdPercent !== undefined) limits.push(t.percentOfBudget(percent(-settings.thresholdPercent)));
    return limits.length > 0 ? t.noFlagsBeyond(limits.join(` ${t.or} `), hidden) : t.noFlags;
  };
  const shown = (v: CellValue, formula?: string): string =>
    formula !== undefined
      ? `=${formula}`
      : v === null || v === ""
        ? t.empty
        : typeof v === "number"
          ? amount(v)
          : typeof v === "object"
            ? v.error
            : String(v);

  return (
    <Words.Provider value={t}>
      <main className={styles.root}>
        <h1 className={styles.title}>{t.title}</h1>
        <div className={styles.buttons}>
          <Button appearance="primary" onClick={check} disabledFocusable={busy !== null}>
            {t.check}
          </Button>
          <Button
            onClick={write}
            disabled={!accepted || accepted.writes.length === 0}
            disabledFocusable={busy !== null}
          >
            {t.write}
          </Button>
          <Button onClick={() => void undo()} disabled={!outcome?.canUndo} disabledFocusable={busy !== null}>
            {t.undo}
          </Button>
        </div>
        {askUndo && (
          <div role="alertdialog" aria-label={t.undo} className={styles.ask}>
            <p>{t.undoElsewhere(when(askUndo))}</p>
            <div className={styles.buttons}>
              <Button onClick={() => void undo(true)}>{t.undoAnyway}</Button>
              <Button onClick={() => setAskUndo(null)}>{t.cancel}</Button>
            </div>
          </div>
        )}
        <div role="status" aria-live="polite">
          {busy === "check" && <p className={styles.muted}>{t.checking}</p>}
          {busy === "write" && <p className={styles.muted}>{t.writing}</p>}
          {notice && <p>{notice}</p>}
          {!outcome && !notice && <p className={styles.muted}>{t.notChecked}</p>}
          {outcome && !outcome.ok && <p className={styles.notReady}>{outcome.message}</p>}
          {outcome?.ok && (
            <p
              className={`${styles.status} ${{ errors: styles.notReady, pending: styles.pending, ready: styles.ready }[readiness(outcome.report, outcome.plan)]}`}
            >
              {{
                errors: () => t.errors(outcome.report.counts.error),
                pending: () => t.pending(outcome.plan.writes.length),
                ready: () => t.ready,
              }[readiness(outcome.report, outcome.plan)]()}
              {outcome.report.counts.warning > 0 ? ` · ${t.warnings(outcome.report.counts.warning)}` : ""}
            </p>
          )}
        </div>
        {outcome?.ok && (
          <>
            <p className={`${styles.muted} ${styles.small}`}>
              {t.table(outcome.report.sheet, outcome.report.template?.name ?? null, outcome.report.unit)}.{" "}
              {t.columns(
                outcome.report.columns.budget,
                outcome.report.columns.comparison,
                outcome.report.columns.deviation,
                outcome.report.deviationProposed,
                outcome.report.comparisonKind,
              )}
              .
            </p>
            <section aria-label={t.convention} className={styles.small}>
              <label className={styles.check}>
                {t.convention}{" "}
                <select
                  value={settings.convention ?? ""}
                  disabled={busy !== null}
                  onChange={(e) =>
                    void saveSetting({ convention: (e.currentTarget.value || undefined) as Convention | undefined })
                  }
                >
                  <option value="">
                    {t.conventionAuto}
                    {settings.convention ? "" : `: ${t.conventionShort[outcome.report.convention]}`}
                  </option>
                  {CONVENTIONS.map((c) => (
                    <option key={c} value={c}>
                      {t.conventionShort[c]}
                    </option>
                  ))}
                </select>
              </label>
              <p className={styles.muted} data-testid="convention">
                {conventionName(lang, outcome.report.convention)}. {t.conventionBasis}:{" "}
                {conventionEvidenceText(lang, outcome.report.conventionEvidence)}.
              </p>
            </section>
            <section aria-label={t.flags}>
              <h2 className={styles.heading}>{t.flags}</h2>
              {outcome.report.flags.length === 0 ? (
                <p className={styles.muted}>{noFlagsText(outcome.report)}</p>
              ) : (
                <ul className={styles.list}>
                  {outcome.report.flags.slice(0, LIST_LIMIT).map((f) => (
                    <li key={f.cell}>
                      <button
                        className={styles.row}
                        onClick={() => select(f.cell)}
                        title={`${f.label}. ${t.goTo(f.cell)}`}
                      >
                        <span className={styles.label}>
                          {f.cell} {f.label}
                        </span>
                        <span className={`${styles.negative} ${styles.figure}`}>
                          {amount(f.deviation)}
                          {f.percent !== null ? ` (${percent(f.percent)})` : ""}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <More total={outcome.report.flags.length} />
            </section>
            {outcome.report.findings.length > 0 && (
              <section aria-label={t.findings}>
                <h2 className={styles.heading}>{t.findings}</h2>
                <ul className={styles.list}>
                  {outcome.report.findings.slice(0, LIST_LIMIT).map((f, i) => (
                    <li key={`${f.cell}-${f.code}-${i}`}>
                      <button className={styles.row} onClick={() => select(f.cell)} title={t.goTo(f.cell)}>
                        <span>
                          {t.severity[f.severity]} {f.cell}: {f.message}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
                <More total={outcome.report.findings.length} />
              </section>
            )}
            <Structure lines={outcome.report.lines} onSelect={select} />
            <section aria-labelledby={`${ids}-changes`}>
              <h2 className={styles.heading} id={`${ids}-changes`}>
                {plan && plan.writes.length > 0
                  ? t.changes(plan.writes.length, replace ? 0 : replacing.length)
                  : t.noChanges}
              </h2>
              {plan && plan.writes.length > 0 && (
                <a className={styles.skip} href={`#${ids}-after-changes`}>
                  {t.skipChanges}
                </a>
              )}
              {replacing.length > 0 && (
                <label className={styles.check}>
                  <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
                  {t.replace(replacing.length)}
                </label>
              )}
              <ul className={styles.list}>
                {plan?.writes.slice(0, LIST_LIMIT).map((w) => (
                  <li key={w.cell} className={replacing.includes(w) && !replace ? styles.muted : undefined}>
                    <button
                      className={styles.row}
                      onClick={() => select(w.cell)}
                      title={`${columnOf(w.target)} ${w.cell} · ${w.label}. ${t.goTo(w.cell)}`}
                    >
                      <span className={styles.label}>
                        {columnOf(w.target)} {w.cell} · {w.label}
                        {replacing.includes(w) && !replace ? ` (${t.notReplaced})` : ""}
                      </span>
                      <span className={styles.figure}>
                        {shown(w.before.value, w.before.formula)} <span aria-hidden="true">→</span>
                        <span className={styles.skip}> {t.becomes} </span> {shown(w.value, w.formula)}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <More total={plan?.writes.length ?? 0} />
            </section>
            <span id={`${ids}-after-changes`} tabIndex={-1} />
          </>
        )}
        {/* The table can be chosen before any check (a sheet where the table cannot be found). */}
        {
          <div className={styles.buttons}>
            <Button size="small" onClick={useSelection} disabledFocusable={busy !== null}>
              {t.useSelection}
            </Button>
            {settings.table && (
              <Button size="small" onClick={findTable} disabledFocusable={busy !== null}>
                {t.findTable}
              </Button>
            )}
            {outcome && (
              <Button size="small" onClick={unflag} disabledFocusable={busy !== null}>
                {t.removeFlags}
              </Button>
            )}
          </div>
        }
        {settings.table && <p className={`${styles.muted} ${styles.small}`}>{t.chosenTable(settings.table.address)}</p>}
        {outcome && (
          <details>
            <summary>{t.settings}</summary>
            <div className={styles.settings}>
              <NumberSetting
                label={t.thresholdAmount(outcome.ok ? outcome.report.unit : null)}
                size={8}
                value={settings.thresholdAmount}
                onSave={(v) => void saveSetting({ thresholdAmount: v })}
              />
              <NumberSetting
                label={t.thresholdPercent}
                size={4}
                value={settings.thresholdPercent}
                onSave={(v) => void saveSetting({ thresholdPercent: v })}
              />
              <label className={styles.check}>
                <input
                  type="checkbox"
                  checked={settings.formulas === true}
                  onChange={(e) => void saveSetting({ formulas: e.currentTarget.checked })}
                />
                {t.formulas}
              </label>
            </div>
          </details>
        )}
      </main>
    </Words.Provider>
  );
}
