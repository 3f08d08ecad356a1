import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/main";
import { cellOf, openWorkbook, tempDir, writeReference } from "../helpers/workbooks";

/** Where checked copies go, and what they may never overwrite. */

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("--write and --out", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  test("two workbooks of the same name into one folder: the second copy does not replace the first", async () => {
    fs.mkdirSync(path.join(dir, "a"));
    fs.mkdirSync(path.join(dir, "b"));
    await writeReference(path.join(dir, "a"), "x.xlsx");
    await writeReference(path.join(dir, "b"), "x.xlsx", { textFigures: true });
    const outDir = path.join(dir, "ut");
    fs.mkdirSync(outDir);
    const r = await cli("check", path.join(dir, "a"), path.join(dir, "b"), "--write", "--out", outDir, "--json");
    expect(r.code).toBe(2);
    const [first, second] = JSON.parse(r.out).workbooks;
    expect(first.written).toBe(path.join(outDir, "x.checked.xlsx"));
    expect(second.written).toBeUndefined();
    expect(second.writeError).toBe(
      `en annan fil har redan skrivit sin kopia till ${path.join(outDir, "x.checked.xlsx")} i denna körning; välj en annan --out`,
    );
    // The copy is the first workbook's: its figures are numbers, not text.
    const wb = await openWorkbook(path.join(outDir, "x.checked.xlsx"));
    expect(cellOf(wb, "Uppföljning", "B8").value).toBe(-63743);
  });

  test("workbooks of the same name in subfolders of one folder: each copy in its own subfolder of --out", async () => {
    const inDir = path.join(dir, "in");
    for (const committee of ["Socialnämnden", "Kultur- och fritid"]) {
      fs.mkdirSync(path.join(inDir, committee), { recursive: true });
      await writeReference(path.join(inDir, committee), "uppföljning.xlsx");
    }
    await writeReference(inDir, "uppföljning.xlsx");
    const outDir = path.join(dir, "ut");
    const r = await cli("check", inDir, "--write", "--out", outDir + path.sep, "--json");
    expect(r.code).toBe(0);
    const written = JSON.parse(r.out).workbooks.map((w: { written?: string }) =>
      path.relative(outDir, w.written ?? ""),
    );
    expect(written).toEqual([
      path.join("Kultur- och fritid", "uppföljning.checked.xlsx"),
      path.join("Socialnämnden", "uppföljning.checked.xlsx"),
      "uppföljning.checked.xlsx",
    ]);
    for (const w of written) expect(fs.existsSync(path.join(outDir, w))).toBe(true);
  });

  test("--out naming no workbook and nothing there is a folder, made for the copy", async () => {
    const file = await writeReference(dir, "z.xlsx");
    const r = await cli("check", file, "--write", "--out", path.join(dir, "kontrollerade"));
    expect(r.code).toBe(0);
    expect(fs.statSync(path.join(dir, "kontrollerade")).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(dir, "kontrollerade", "z.checked.xlsx"))).toBe(true);
  });

  test("the original is never overwritten, not even through a link", async () => {
    const original = await writeReference(dir, "original.xlsx");
    const link = path.join(dir, "lank.xlsx");
    fs.symlinkSync(original, link);
    const before = sha256(original);
    const r = await cli("check", link, "--write", "--out", original);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Kopian skrevs inte: kopian skulle skriva över originalet; välj en annan --out");
    expect(r.out).not.toContain("Kunde inte kontrolleras");
    expect(r.out).not.toContain("skriv med --write");
    expect(sha256(original)).toBe(before);
  });

  test("a copy never replaces another workbook checked in the same run", async () => {
    const first = await writeReference(dir, "a.xlsx");
    const second = await writeReference(dir, "a.checked.xlsx", { textFigures: true });
    const before = sha256(second);
    const r = await cli("check", first, second, "--write", "--json");
    expect(r.code).toBe(2);
    const [a, b] = JSON.parse(r.out).workbooks;
    expect(a.written).toBeUndefined();
    expect(a.writeError).toBe(
      `kopian skulle skriva över ${second}, som också kontrolleras i denna körning; välj en annan --out`,
    );
    // The second workbook is checked as it was handed in, and its own copy is written.
    expect(sha256(second)).toBe(before);
    expect(b.written).toBe(path.join(dir, "a.checked.checked.xlsx"));
    expect(b.findings.some((f: { code: string }) => f.code === "text-number")).toBe(true);
  });

  test("a copy named in a folder that is not there is written, the folder made", async () => {
    const file = await writeReference(dir, "v.xlsx");
    const target = path.join(dir, "ny-mapp", "kopia.xlsx");
    const r = await cli("check", file, "--write", "--out", target);
    expect(r.code).toBe(0);
    expect(cellOf(await openWorkbook(target), "Uppföljning", "D8").value).toBe(-4000);
  });

  test.each([
    ["x.xlsx", "kopia.xlsm", ".xlsx"],
    ["x.xlsm", "kopia.XLSX", ".xlsm"],
  ])("%s with --out %s: refused, nothing written", async (name, out, ext) => {
    const file = path.join(dir, name);
    fs.renameSync(await writeReference(dir, "x0.xlsx"), file);
    const target = path.join(dir, out);
    const r = await cli("check", file, "--write", "--out", target);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `prognoskoll: --out ${target} måste sluta på ${ext} som arbetsboken; Excel öppnar inte en fil vars ändelse inte stämmer med innehållet`,
    );
    expect(fs.existsSync(target)).toBe(false);
  });

  test("a folder named with a trailing slash is made", async () => {
    const file = await writeReference(dir, "y.xlsx");
    const outDir = path.join(dir, "nya", "kopior") + path.sep;
    const r = await cli("check", file, "--write", "--out", outDir);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(outDir, "y.checked.xlsx"))).toBe(true);
  });

  test("a macro workbook's copy keeps its kind (.xlsm)", async () => {
    const file = await writeReference(dir, "makro.xlsx");
    const xlsm = path.join(dir, "makro.xlsm");
    fs.renameSync(file, xlsm);
    const r = await cli("check", xlsm, "--write");
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "makro.checked.xlsm"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "makro.xlsm.checked.xlsx"))).toBe(false);
  });

  test("no temporary file is left behind", async () => {
    const file = await writeReference(dir, "z.xlsx");
    await cli("check", file, "--write");
    expect(fs.readdirSync(dir).sort()).toEqual(["z.checked.xlsx", "z.xlsx"]);
  });
});
