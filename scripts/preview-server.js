/**
 * Serves the preview page on localhost: dist-preview/, and office.js from the @microsoft/office-js
 * package under /office/ (never from the internet).  node scripts/preview-server.js [PORT]
 */
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "dist-preview");
const OFFICE = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Starts the server; resolves with it once it listens (port 0: any free port). `root` and `prefix`
 * serve another folder at a path (the hosted add-in folder at /prognoskoll/, in its test).
 */
function serve(port = 3100, { root = ROOT, prefix = "/" } = {}) {
  const server = http.createServer((req, res) => {
    let url;
    try {
      url = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("bad request");
      return;
    }
    const [base, rel] = url.startsWith("/office/")
      ? [OFFICE, url.slice("/office/".length)]
      : url.startsWith(prefix)
        ? [root, url.slice(prefix.length) || "index.html"]
        : [root, ""];
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

module.exports = { serve };

if (require.main === module) {
  serve(Number(process.argv[2] ?? process.env.PORT ?? 3100)).then((server) => {
    process.stdout.write(`Prognoskoll preview: http://localhost:${server.address().port}/\n`);
  });
}
