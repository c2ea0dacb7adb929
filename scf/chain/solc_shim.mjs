#!/usr/bin/env node
// Makes the npm `solc` (solcjs) answer like a native solc, so py-solc-x can drive it offline.
// py-solc-x runs `<solc> --version` and `<solc> --standard-json [--base-path P] [--allow-paths P]`
// with the JSON input on stdin. solcjs's own CLI prints a banner before its JSON and resolves
// imports differently; this shim speaks only the two forms py-solc-x uses.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const solc = require("solc");

function argValue(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
}

// Import lookup: the base path first, then every node_modules folder from here upwards
// (the repository's own node_modules holds @openzeppelin/contracts).
function makeImportResolver(basePath) {
  const roots = [];
  if (basePath) roots.push(path.resolve(basePath));
  for (let dir = here; ; dir = path.dirname(dir)) {
    roots.push(path.join(dir, "node_modules"));
    if (path.dirname(dir) === dir) break;
  }
  return (importPath) => {
    for (const root of roots) {
      const candidate = path.resolve(root, importPath);
      if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
    }
    return { error: `File not found: ${importPath} (looked in ${roots.join(", ")})` };
  };
}

// Exit only once stdout has drained: a large JSON written to a pipe is otherwise cut at 64 KiB.
function writeAndExit(text, code) {
  process.stdout.write(text, () => process.exit(code));
}

const args = process.argv.slice(2);
if (args.includes("--version")) {
  // The form py-solc-x's version regex expects from a native binary.
  writeAndExit(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`, 0);
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => {
    const input = Buffer.concat(chunks).toString("utf8");
    const output = solc.compile(input, { import: makeImportResolver(argValue(args, "--base-path")) });
    writeAndExit(output + "\n", 0);
  });
} else {
  process.stderr.write("solc_shim: only --version and --standard-json are supported\n");
  process.exit(2);
}
