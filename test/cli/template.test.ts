import fs from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/main";
import { tempDir, writeRows } from "../helpers/workbooks";

/** The template of one's own that the manual shows works as the manual says. */
const MANUAL = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "manual.md"), "utf8");
const TEMPLATE = /```json\n([\s\S]*?)```/.exec(MANUAL)![1];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

test("the manual's own template checks a sheet made for it", async () => {
  const dir = tempDir();
  const template = path.join(dir, "mall.json");
  fs.writeFileSync(template, TEMPLATE);
  const file = await writeRows(path.join(dir, "forvaltning.xlsx"), "Blad1", [
    ["Förvaltningen", "Budget 2026", "Prognos 2026"],
    ["Intäkter", 1000, 1200],
    ["Löner", -5000, -5400],
    ["Övrigt", -800, -700],
    ["Summa kostnader", null, null],
    ["Resultat", null, null],
  ]);
  const r = await cli("check", file, "--template", template, "--json");
  expect(r.err).toBe("");
  const w = JSON.parse(r.out).workbooks[0];
  expect(w.template).toBe("forvaltning");
  expect(
    w.lines.map((l: { label: string; kind: string; deviation: number }) => [l.label, l.kind, l.deviation]),
  ).toEqual([
    ["Intäkter", "input", 200],
    ["Löner", "input", -400],
    ["Övrigt", "input", 100],
    ["Summa kostnader", "sum", -300],
    ["Resultat", "sum", -100],
  ]);
  expect(w.findings.map((f: { code: string }) => f.code)).toEqual(["not-balanced"]);
});

test("a template with a mistake is bad usage, with the mistake named", async () => {
  const dir = tempDir();
  const template = path.join(dir, "fel.json");
  fs.writeFileSync(template, JSON.stringify({ id: "x", lines: [{ id: "a", label: "A", nature: "kostnad" }] }));
  const r = await cli("check", "--template", template);
  expect(r.code).toBe(2);
  expect(r.err.split("\n")[0]).toBe(
    `prognoskoll: mallen ${template} är inte giltig: lines[0].nature ska vara "revenue", "cost" eller "result"`,
  );
});
