/**
 * The add-in's manifest for the address where it is hosted: manifest.xml (the development
 * manifest, on https://localhost:3000) with every localhost address replaced by the given one, its
 * version taken from package.json, and validated against the manifest schemas the project carries
 * (libxml2 compiled to WebAssembly, so the build validates on any machine Node runs on).
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
/** Where the development manifest points: `npm start` serves the pane there. */
const DEV_ADDRESS = "https://localhost:3000/";
const SCHEMAS = path.join(ROOT, "schemas", "office-addin-manifest");

/** A mistake in the address given to the build, told to the user in a sentence. */
class AddressError extends Error {}

/**
 * The address to build for: `--env url=…` or the environment variable PROGNOSKOLL_URL, as an https
 * URL ending in "/"; without one, the development address (given: false).
 */
function addressFrom(env = {}, environment = process.env) {
  const raw = env.url ?? environment.PROGNOSKOLL_URL;
  if (raw === undefined || raw === "" || raw === true) return { address: DEV_ADDRESS, given: false };
  let url;
  try {
    url = new URL(String(raw));
  } catch {
    throw new AddressError(
      `"${raw}" is not a web address. Give the full address where the add-in will be served, such as https://addins.example.se/prognoskoll/.`,
    );
  }
  if (url.protocol !== "https:") {
    throw new AddressError(
      `"${raw}" is not an https address. Office loads add-ins only over https: give an address starting with https://.`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new AddressError(
      `"${raw}" has more than a place to serve from. Give only the folder's address, such as https://addins.example.se/prognoskoll/.`,
    );
  }
  const pathname = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return { address: `${url.origin}${pathname}`, given: true };
}

/** The manifest's version (four numbers) from package.json's (0.1.0 → 0.1.0.0). */
function manifestVersion(version = require(path.join(ROOT, "package.json")).version) {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new AddressError(`package.json's version "${version}" is not of the form 1.2.3.`);
  return `${m[1]}.${m[2]}.${m[3]}.0`;
}

/**
 * The add-in's id for an address: the development manifest's own id on localhost, and elsewhere
 * an id derived from the address (the same for every build for that address), so that a hosted
 * add-in and a developer's sideloaded one are never taken for each other.
 */
function manifestId(address, devId) {
  if (address === DEV_ADDRESS) return devId;
  const h = require("node:crypto").createHash("sha1").update(`${devId} ${address}`).digest("hex");
  // A name-based UUID (version 5 layout).
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The development manifest with `address` for every localhost address, its id, and the version given. */
function manifestFor(
  address,
  version = manifestVersion(),
  template = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8"),
) {
  const origin = new URL(address).origin;
  const devId = /<Id>([^<]*)<\/Id>/.exec(template)[1];
  return template
    .replace(/<Id>[^<]*<\/Id>/, `<Id>${manifestId(address, devId)}</Id>`)
    .replace(/<Version>[^<]*<\/Version>/, `<Version>${version}</Version>`)
    .split(DEV_ADDRESS)
    .join(escapeXml(address))
    .split(DEV_ADDRESS.slice(0, -1))
    .join(escapeXml(origin));
}

/** Validates a manifest against the schemas: { valid, errors }. */
async function validateManifest(xml) {
  const { validateXML } = require("xmllint-wasm");
  const xsd = (name) => ({ fileName: name, contents: fs.readFileSync(path.join(SCHEMAS, name), "utf8") });
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

/** The URLs a manifest points at (its namespaces left out). */
function manifestUrls(xml) {
  const values = [...xml.matchAll(/DefaultValue="(https?:[^"]*)"/g)].map((m) => m[1]);
  const domains = [...xml.matchAll(/<AppDomain>([^<]*)<\/AppDomain>/g)].map((m) => m[1]);
  return [...values, ...domains];
}

/**
 * A webpack plugin that writes manifest.xml for `address` beside the pane, and fails the build
 * when it does not validate.
 */
class ManifestPlugin {
  constructor(address) {
    this.address = address;
  }
  apply(compiler) {
    const { Compilation, WebpackError, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap("ManifestPlugin", (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: "ManifestPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        async () => {
          const xml = manifestFor(this.address);
          const { valid, errors } = await validateManifest(xml);
          if (!valid) {
            compilation.errors.push(new WebpackError(`manifest.xml does not validate: ${errors.join("; ")}`));
            return;
          }
          compilation.emitAsset("manifest.xml", new sources.RawSource(xml));
        },
      );
    });
  }
}

module.exports = {
  AddressError,
  DEV_ADDRESS,
  ManifestPlugin,
  addressFrom,
  manifestFor,
  manifestId,
  manifestUrls,
  manifestVersion,
  validateManifest,
};
