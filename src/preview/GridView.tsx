import * as React from "react";
import { cellAddress, formatAmount, parseCellAddress, toCents } from "../core";
import { FLAG_MARK } from "../excel/adapter";
import type { FakeSheetData } from "./fake-excel";

/**
 * The active sheet as Excel would show it: column letters, row numbers, values, and the flag
 * format. A click selects a cell, a shift-click the area from the selected cell to it.
 */
export function GridView({
  sheet,
  selection,
  onSelect,
}: {
  sheet: FakeSheetData;
  selection: string;
  onSelect?: (address: string) => void;
}): React.JSX.Element {
  const area = sheet.usedArea();
  const chosen = selection.startsWith(`${sheet.name}!`) ? selection.slice(sheet.name.length + 1).split(":") : [];
  const [from, to] = [parseCellAddress(chosen[0] ?? ""), parseCellAddress(chosen[1] ?? chosen[0] ?? "")];
  const selected = (r: number, c: number): boolean =>
    from !== null &&
    to !== null &&
    r >= Math.min(from.row, to.row) &&
    r <= Math.max(from.row, to.row) &&
    c >= Math.min(from.col, to.col) &&
    c <= Math.max(from.col, to.col);
  const click = (address: string, extend: boolean): void => {
    if (!onSelect) return;
    const a = parseCellAddress(address)!;
    if (!extend || !from) return onSelect(address);
    const first = cellAddress(Math.min(from.row, a.row), Math.min(from.col, a.col));
    const last = cellAddress(Math.max(from.row, a.row), Math.max(from.col, a.col));
    onSelect(`${first}:${last}`);
  };
  const rows = area ? area.bottom + 1 : 1;
  const cols = area ? Math.max(area.right + 1, 4) : 4;
  const flagged = (r: number, c: number): boolean =>
    sheet.conditionalFormats.some((cf) => {
      if (!cf.formula.includes(FLAG_MARK)) return false;
      const v = sheet.get(r, c)?.value;
      return (
        typeof v === "number" &&
        v < 0 &&
        cf.address.split(",").some((part) => {
          const [a, b] = part.split(":").map((x) => parseCellAddress(x)!);
          const end = b ?? a;
          return r >= a.row && r <= end.row && c >= a.col && c <= end.col;
        })
      );
    });
  const shown = (r: number, c: number): string => {
    const v = sheet.get(r, c)?.value;
    if (v === undefined || v === "") return "";
    return typeof v === "number" ? formatAmount(toCents(v)) : String(v);
  };
  return (
    <table className="grid" aria-label={sheet.name}>
      <thead>
        <tr>
          <th />
          {Array.from({ length: cols }, (_, c) => (
            <th key={c} scope="col">
              {cellAddress(0, c).replace("1", "")}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, r) => (
          <tr key={r}>
            <th scope="row">{r + 1}</th>
            {Array.from({ length: cols }, (_, c) => {
              const address = cellAddress(r, c);
              const v = sheet.get(r, c)?.value;
              const classes = [
                typeof v === "number" ? "number" : "",
                flagged(r, c) ? "flagged" : "",
                selected(r, c) ? "selected" : "",
              ];
              return (
                <td
                  key={c}
                  data-cell={address}
                  className={classes.join(" ").trim() || undefined}
                  onClick={(e) => click(address, e.shiftKey)}
                >
                  {shown(r, c)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
