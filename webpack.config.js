const path = require("node:path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const { AddressError, ManifestPlugin, addressFrom } = require("./scripts/manifest");

/**
 * Builds the task pane into dist/addin/, the folder a municipality's IT hosts: the pane, its
 * assets and a manifest for the address given (`npm run build -- --env url=https://…/`, or
 * PROGNOSKOLL_URL); without one, for https://localhost:3000/ as `npm start` serves it.
 *
 * @type {(env: Record<string, unknown>, argv: { mode?: string }) => Promise<import("webpack").Configuration>}
 */
module.exports = async (env, argv) => {
  const production = argv.mode !== "development";
  let target;
  try {
    target = addressFrom(env);
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    console.error(`Nothing was built: ${e.message}`);
    process.exit(2);
  }
  if (!target.given && !env.WEBPACK_SERVE) {
    console.log(
      `Building for ${target.address} (no address given). For the address where the add-in will be hosted: npm run build -- --env url=https://…/`,
    );
  } else if (target.given) {
    console.log(`Building for ${target.address}`);
  }
  // `webpack serve` (npm run dev-server, started by npm start): the pane over https on localhost:3000,
  // with Office's development certificate, as the manifest expects.
  const devServer = env.WEBPACK_SERVE
    ? {
        port: 3000,
        static: { directory: path.resolve(__dirname, "dist", "addin") },
        headers: { "Access-Control-Allow-Origin": "*" },
        server: { type: "https", options: await require("office-addin-dev-certs").getHttpsServerOptions() },
      }
    : undefined;
  return {
    devServer,
    mode: production ? "production" : "development",
    target: ["web", "es2020"],
    devtool: production ? false : "source-map",
    entry: {
      taskpane: "./src/taskpane/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist", "addin"),
      filename: "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: [/node_modules/, /\.test\.tsx?$/],
          use: {
            loader: "ts-loader",
            options: {
              configFile: path.resolve(__dirname, "tsconfig.taskpane.json"),
              transpileOnly: true,
              compilerOptions: { noEmit: false, sourceMap: !production },
            },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        template: "./src/taskpane/taskpane.html",
        filename: "taskpane.html",
        chunks: ["taskpane"],
        scriptLoading: "defer",
      }),
      new CopyWebpackPlugin({
        patterns: [{ from: "assets", to: "assets" }],
      }),
      new ManifestPlugin(target.address),
    ],
    performance: {
      hints: production ? "warning" : false,
    },
  };
};
