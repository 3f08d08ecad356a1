const path = require("node:path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");

/** @type {(env: unknown, argv: { mode?: string }) => import("webpack").Configuration} */
module.exports = async (env, argv) => {
  const production = argv.mode !== "development";
  // `webpack serve` (npm run dev-server, started by npm start): the pane over https on localhost:3000,
  // with Office's development certificate, as the manifest expects.
  const devServer = env.WEBPACK_SERVE
    ? {
        port: 3000,
        static: { directory: path.resolve(__dirname, "dist") },
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
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      clean: { keep: (file) => !/^(taskpane\.|assets[\\/])/.test(file) },
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
    ],
    performance: {
      hints: production ? "warning" : false,
    },
  };
};
