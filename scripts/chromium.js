/**
 * How the browser tests and the benchmark start Debian's chromium (Playwright's own browser
 * download cannot work here): headless, without a sandbox (as root), and with every background
 * connection off, since the machine has no network.
 */
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Options for playwright-core's chromium.launch. */
function launchOptions() {
  return { executablePath: CHROMIUM, args: FLAGS };
}

module.exports = { launchOptions, CHROMIUM, FLAGS };
