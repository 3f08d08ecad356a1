import { shiftFormula } from "../../src/xlsx/formulas";

/** A shared formula's text moved from its first cell to another, as Excel reads it in that cell. */

test.each([
  ["C4-B$5", 1, 0, "C5-B$5"],
  ["SUM(A1:B2)*1.5E+3", 1, 1, "SUM(B2:C3)*1.5E+3"],
  ["$A$1+A$1+$A1", 2, 2, "$A$1+C$1+$A3"],
  // Names that look like cells are names.
  ["'T2'!C5-'T2'!B5", 1, 0, "'T2'!C6-'T2'!B6"],
  ["'Budget 2025 T1'!B5+'It''s T2'!A1", 1, 0, "'Budget 2025 T1'!B6+'It''s T2'!A2"],
  ["'[Budget.xlsx]T2'!A1+[1]Blad1!A1", 2, 0, "'[Budget.xlsx]T2'!A3+[1]Blad1!A3"],
  ["SUM(Tabell1[Prognos T2])", 1, 1, "SUM(Tabell1[Prognos T2])"],
  ["Tabell1[[#This Row],[Prognos T2]]-B5", 1, 0, "Tabell1[[#This Row],[Prognos T2]]-B6"],
  ["Tabell1['[T2']]+B5", 1, 0, "Tabell1['[T2']]+B6"],
  ["LOG10(A1)+T2!A1+x.A1+_B2", 1, 0, "LOG10(A2)+T2!A2+x.A1+_B2"],
  ["BUDGETÅR2025*B5+Summa_ÖB2+ÅR1", 1, 0, "BUDGETÅR2025*B6+Summa_ÖB2+ÅR1"],
  ["'Jan:Mar'!B5+JAN:MAR!B5+SUM(A:A 5:5)", 1, 0, "'Jan:Mar'!B6+JAN:MAR!B6+SUM(A:A 6:6)"],
  ["IF(ISERROR(#REF!),TRUE,#N/A)+B5", 1, 0, "IF(ISERROR(#REF!),TRUE,#N/A)+B6"],
  // As typed by hand or by a program that keeps the case: still references.
  ["c6-b6", 1, 0, "C7-B7"],
  // Off the sheet: #REF!, as Excel writes it.
  ["XFD1+A1048576+B5", 1, 1, "#REF!+#REF!+C6"],
  ["A2-A1", -1, 0, "A1-#REF!"],
  ["SUM(B2:B1048576)+SUM(A1:A2)", 1, 0, "SUM(#REF!)+SUM(A2:A3)"],
  ['IF(B1="x:#REF!","B1:#REF!",B1)', 1, 0, 'IF(B2="x:#REF!","B1:#REF!",B2)'],
  // Past the last column or row: a name, as Excel allows.
  ["YTD2025+ytd2025+A9999999+B5", 1, 0, "YTD2025+ytd2025+A9999999+B6"],
  // Text is text.
  ['IF(C5="","",C5-B5)', 1, 0, 'IF(C6="","",C6-B6)'],
  ['"A1"&B2&"say ""C3"""', 1, 0, '"A1"&B3&"say ""C3"""'],
  // Whole columns and rows move too, unless anchored.
  ["SUM(B:B)+SUM($C:D)", 0, 1, "SUM(C:C)+SUM($C:E)"],
  ["SUM(5:5)+SUM($6:7)", 2, 0, "SUM(7:7)+SUM($6:9)"],
])("%s moved by %i rows and %i columns is %s", (formula, dRow, dCol, expected) => {
  expect(shiftFormula(formula, dRow, dCol)).toBe(expected);
});
