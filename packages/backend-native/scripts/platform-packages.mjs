#!/usr/bin/env node
// Generates the platform packages npm/<triple> from `napi.targets` (`napi create-npm-dirs`, which writes
// their package.json: name, version, os, cpu, libc, main, files) and adds what the napi CLI does not: the
// `prepublishOnly` check that the binary is there, the backend's repository links, LICENSE and NOTICE. Never edit npm/*/package.json by hand: change
// `napi` in ../package.json and run `pnpm --filter @zerobus/backend-native platform-packages`.
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
execFileSync(join(packageDir, "node_modules", ".bin", "napi"), ["create-npm-dirs"], {
  cwd: packageDir,
  stdio: "inherit",
});
const root = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
for (const triple of readdirSync(join(packageDir, "npm"))) {
  const file = join(packageDir, "npm", triple, "package.json");
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  pkg.scripts = { prepublishOnly: "node ../../scripts/check-platform-binary.mjs" };
  for (const file of ["LICENSE", "NOTICE"])
    copyFileSync(join(packageDir, file), join(packageDir, "npm", triple, file));
  pkg.files = [...pkg.files.filter((file) => file.endsWith(".node")), "LICENSE", "NOTICE"];
  for (const key of ["homepage", "bugs"]) if (root[key] !== undefined) pkg[key] = root[key];
  if (typeof root.repository === "object")
    pkg.repository = { ...root.repository, directory: `packages/backend-native/npm/${triple}` };
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
