/**
 * The project's conventions that several files must agree on: the licence, the supported Node
 * releases (package.json's engines, .nvmrc, environment.yml, scripts/setup.sh's check), the
 * changelog's version, and the scripts' entry points.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  license: string;
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Whether version x.y.z satisfies a range of the form "^a.b || ^c.d || >=e" (what engines uses). */
function satisfies(version: string, range: string): boolean {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return range.split("||").some((part) => {
    const p = part.trim();
    let m = /^\^(\d+)\.(\d+)$/.exec(p);
    if (m) return major === +m[1] && minor >= +m[2];
    m = /^>=(\d+)$/.exec(p);
    if (m) return major >= +m[1];
    throw new Error(`range part ${p} is not understood by this test`);
  });
}

test("a LICENSE file with the MIT text package.json names", () => {
  assert.equal(pkg.license, "MIT");
  const text = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
  assert.match(text, /^MIT License/);
  assert.match(text, /Permission is hereby granted, free of charge/);
});

test("engines, .nvmrc, environment.yml and setup.sh's check agree on the supported Node releases", () => {
  assert.equal(pkg.engines.node, "^20.19 || ^22.13 || >=24");
  assert.ok(satisfies(process.version, pkg.engines.node), `this Node ${process.version}`);
  const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
  assert.ok(satisfies(`${nvmrc}.99.0`, pkg.engines.node), `.nvmrc ${nvmrc}`);
  const env = fs.readFileSync(path.join(ROOT, "environment.yml"), "utf8");
  const conda = /^\s+- nodejs>=(\d+)\.(\d+),<(\d+)$/m.exec(env);
  assert.ok(conda, "environment.yml pins nodejs to a range");
  assert.ok(satisfies(`${conda[1]}.${conda[2]}.0`, pkg.engines.node), "its lowest release");
  assert.equal(Number(conda[3]), Number(conda[1]) + 1, "within one major release");
  assert.equal(nvmrc, conda[1], ".nvmrc and environment.yml name the same release");
  for (const v of [
    "18.20.0",
    "20.18.3",
    "20.19.0",
    "21.7.3",
    "22.12.0",
    "22.13.0",
    "23.11.0",
    "24.0.0",
    "26.1.0",
  ]) {
    const r = spawnSync("bash", [path.join(ROOT, "scripts", "setup.sh"), "--node-supported", v], {
      encoding: "utf8",
    });
    assert.equal(r.status === 0, satisfies(v, pkg.engines.node), `setup.sh on ${v}: ${r.stdout}`);
  }
});

test("the changelog's latest version is package.json's", () => {
  const log = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
  assert.equal(/^## (\d+\.\d+\.\d+)/m.exec(log)?.[1], pkg.version);
});

test("npm run lint and npm run typecheck exist, the halves of npm run check", () => {
  assert.match(pkg.scripts.lint, /check\.js lint$/);
  assert.match(pkg.scripts.typecheck, /check\.js typecheck$/);
});
