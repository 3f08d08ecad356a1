import fs from "node:fs";
import path from "node:path";

/** The add-in manifest against Microsoft's XSDs (libxml2, as `npm run validate` runs it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { manifestVersion, validateManifest: validate } = require("../scripts/manifest.js") as {
  manifestVersion(version?: string): string;
  validateManifest(xml: string): Promise<{ valid: boolean; errors: string[] }>;
};
const manifest = fs.readFileSync(path.resolve(__dirname, "..", "manifest.xml"), "utf8");

describe("manifest.xml", () => {
  test("validates against the add-in manifest schema", async () => {
    expect(await validate(manifest)).toEqual({ valid: true, errors: [] });
  });

  test.each([
    ["without an Id", manifest.replace(/<Id>[^<]*<\/Id>/, "")],
    ["with a version that is not one", manifest.replace(/<Version>[^<]*<\/Version>/, "<Version>abc</Version>")],
    ["asking for a permission that does not exist", manifest.replace("ReadWriteDocument", "WriteEverything")],
  ])("does not validate %s", async (_name, broken) => {
    expect(broken).not.toBe(manifest);
    const r = await validate(broken);
    expect(r.valid).toBe(false);
    expect(r.errors.length).toBeGreaterThan(0);
  });

  test("has the version of package.json, in the manifest's four numbers", () => {
    expect(manifestVersion("0.1.0")).toBe("0.1.0.0");
    expect(manifestVersion("2.10.3-beta.1")).toBe("2.10.3.0");
    expect(() => manifestVersion("next")).toThrow(/not of the form/);
    expect(manifest.match(/<Version>([^<]*)<\/Version>/)?.[1]).toBe(manifestVersion());
  });

  test("asks for no permission beyond ReadWriteDocument, for Excel only", () => {
    expect(manifest.match(/<Permissions>([^<]*)<\/Permissions>/)?.[1]).toBe("ReadWriteDocument");
    expect([...manifest.matchAll(/<Host Name="([^"]+)"/g)].map((m) => m[1])).toEqual(["Workbook"]);
  });
});
