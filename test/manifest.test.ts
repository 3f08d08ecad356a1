import fs from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";

/** The add-in manifest against Microsoft's XSDs (libxml2, as `npm run validate` runs it). */
const SCHEMAS = path.resolve(__dirname, "..", "schemas", "office-addin-manifest");
const manifest = fs.readFileSync(path.resolve(__dirname, "..", "manifest.xml"), "utf8");

async function validate(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const xsd = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(SCHEMAS, name), "utf8") });
  const result = await validateXML({
    xml: [{ fileName: "manifest.xml", contents: xml }],
    schema: [xsd("OfficeAppManifestV1_1.xsd")],
    preload: [
      "OfficeAppBasicTypesV1_0.xsd",
      "MailAppVersionOverridesV1_0.xsd",
      "MailAppVersionOverridesV1_1.xsd",
      "TaskPaneAppVersionOverridesV1_0.xsd",
      "ContentAppVersionOverridesV1_0.xsd",
    ].map(xsd),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

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

  test("asks for no permission beyond ReadWriteDocument, for Excel only", () => {
    expect(manifest.match(/<Permissions>([^<]*)<\/Permissions>/)?.[1]).toBe("ReadWriteDocument");
    expect([...manifest.matchAll(/<Host Name="([^"]+)"/g)].map((m) => m[1])).toEqual(["Workbook"]);
  });
});
