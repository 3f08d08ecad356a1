const path = require("node:path");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");

/** The preview page (`npm run preview`): the task pane against the in-memory Excel. Never shipped. */
module.exports = {
  mode: "production",
  target: ["web", "es2020"],
  devtool: false,
  entry: { preview: "./src/preview/preview.tsx" },
  output: { path: path.resolve(__dirname, "dist-preview"), filename: "[name].js", clean: true },
  resolve: { extensions: [".ts", ".tsx", ".js"] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: [/node_modules/],
        use: {
          loader: "ts-loader",
          options: {
            configFile: path.resolve(__dirname, "tsconfig.taskpane.json"),
            transpileOnly: true,
            compilerOptions: { noEmit: false },
          },
        },
      },
    ],
  },
  plugins: [
    new HtmlWebpackPlugin({ template: "./src/preview/preview.html", filename: "index.html", scriptLoading: "defer" }),
    new CopyWebpackPlugin({ patterns: [{ from: "assets", to: "assets" }] }),
  ],
  performance: { hints: false },
};
