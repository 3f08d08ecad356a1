// Draws the add-in icons (a budget sheet with bars, one of them a red downward deviation, and a check badge)
// and writes assets/icon-<size>.png. Usage: node scripts/make-icons.mjs [outDir]
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const SIZES = [16, 32, 64, 80];
const SUBSAMPLES = 16;

const COLORS = {
  frame: [11, 110, 99, 255],
  header: [31, 165, 138, 255],
  paper: [255, 255, 255, 255],
  grid: [198, 230, 223, 255],
  bar: [31, 165, 138, 255],
  axis: [11, 110, 99, 255],
  deviation: [217, 48, 37, 255],
  badge: [22, 150, 84, 255],
  badgeRing: [255, 255, 255, 255],
  check: [255, 255, 255, 255],
};

// ---- shapes: each returns a point-in-shape test in design units ----

function rect(x0, y0, x1, y1) {
  return (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;
}

function roundRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function circle(cx, cy, r) {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function polyline(points, width) {
  const half = width / 2;
  return (x, y) => {
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i];
      const [bx, by] = points[i + 1];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= half * half) return true;
    }
    return false;
  };
}

// ---- designs: [grid size, layers] where each layer is [shape, color] ----

/** The full drawing on a 64-unit grid, for 32 px and up; edges and lines are snapped to whole pixels. */
function largeDesign(size) {
  const px = 64 / size;
  const snap = (v) => Math.round(v / px) * px;
  const box = (x0, y0, x1, y1) => rect(snap(x0), snap(y0), snap(x1), snap(y1));
  const line = Math.max(1, Math.round(size / 48)) * px;
  const layers = [
    [roundRect(snap(4), snap(4), snap(52), snap(58), 5), COLORS.frame],
    [roundRect(snap(7), snap(7), snap(49), snap(55), 2.5), COLORS.paper],
    [box(7, 7, 49, 15), COLORS.header],
  ];
  for (const x of [18, 29, 40]) layers.push([rect(snap(x), snap(15), snap(x) + line, snap(55)), COLORS.grid]);
  for (const y of [23, 39, 47]) layers.push([rect(snap(7), snap(y), snap(49), snap(y) + line), COLORS.grid]);
  layers.push(
    [box(10, 19, 17, 31), COLORS.bar],
    [box(21, 31, 28, 47), COLORS.deviation],
    [box(32, 23, 39, 31), COLORS.bar],
    [rect(snap(9), snap(30), snap(47), snap(30) + 2 * line), COLORS.axis],
    [circle(49.5, 49.5, 14.5), COLORS.badgeRing],
    [circle(49.5, 49.5, 12), COLORS.badge],
    [
      polyline(
        [
          [43.5, 50],
          [47.8, 54.3],
          [55.5, 45],
        ],
        4,
      ),
      COLORS.check,
    ],
  );
  return [64, layers];
}

/** A simplified drawing on a 16-unit grid with whole-pixel edges, for 16 px. */
function smallDesign() {
  return [
    16,
    [
      [roundRect(1, 1, 12, 15, 1), COLORS.frame],
      [rect(2, 2, 11, 14), COLORS.paper],
      [rect(2, 2, 11, 4), COLORS.header],
      [rect(3, 5, 5, 8), COLORS.bar],
      [rect(6, 9, 8, 12), COLORS.deviation],
      [rect(2, 8, 11, 9), COLORS.axis],
      [circle(12, 12, 4), COLORS.badgeRing],
      [circle(12, 12, 3.25), COLORS.badge],
      ...[
        [13, 10],
        [10, 11],
        [12, 11],
        [13, 11],
        [10, 12],
        [11, 12],
        [12, 12],
        [11, 13],
      ].map(([x, y]) => [rect(x, y, x + 1, y + 1), COLORS.check]),
    ],
  ];
}

// ---- rasteriser: supersampled coverage, layers composited with "over" ----

function render(size) {
  const [grid, layers] = size < 32 ? smallDesign() : largeDesign(size);
  const scale = grid / size;
  const pixels = Buffer.alloc(size * size * 4);
  const n = SUBSAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const [inside, color] of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) {
          const y = (py + (sy + 0.5) / n) * scale;
          for (let sx = 0; sx < n; sx++) {
            if (inside((px + (sx + 0.5) / n) * scale, y)) hits++;
          }
        }
        if (hits === 0) continue;
        const sa = (hits / (n * n)) * (color[3] / 255);
        const out = sa + a * (1 - sa);
        r = (color[0] * sa + r * a * (1 - sa)) / out;
        g = (color[1] * sa + g * a * (1 - sa)) / out;
        b = (color[2] * sa + b * a * (1 - sa)) / out;
        a = out;
      }
      const i = (py * size + px) * 4;
      pixels[i] = Math.round(r);
      pixels[i + 1] = Math.round(g);
      pixels[i + 2] = Math.round(b);
      pixels[i + 3] = Math.round(a * 255);
    }
  }
  return pixels;
}

// ---- PNG writer ----

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(root, "assets"));
mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  const file = join(outDir, `icon-${size}.png`);
  writeFileSync(file, encodePng(size, render(size)));
  console.log(`wrote ${file}`);
}
