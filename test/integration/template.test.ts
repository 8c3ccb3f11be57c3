/**
 * The project's nbconvert template against nbconvert 7's lab template (what conda users get; Debian
 * ships 6.5): a copy of 7.17.1's templates (test/fixtures/nbconvert-7) is put ahead of the installed
 * ones, and the fixture notebook rendered with Debian's nbconvert through render.py. The unmodified
 * 7.x lab page imports mermaid from a CDN inside an inline module script and loads the widgets
 * renderer from a CDN: the export's external-reference check must find both. The project's template
 * on top of 7.x must leave nothing to find, and it is its overrides that do it (the same template
 * without them lets the imports through).
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { externalReferences } from "../../scripts/export";
import { findJupyterPython } from "../../scripts/jupyter";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const SEVEN = path.join(ROOT, "test", "fixtures", "nbconvert-7");
const NOTEBOOK = path.join(ROOT, "test", "fixtures", "review", "92-review-second.ipynb");
const python = findJupyterPython();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "template-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const skip = python ? false : "no Python with nbconvert";

function render(template: string, basedir?: string): string {
  const args = [path.join(SEVEN, "render.py"), path.join(SEVEN, "templates"), template, NOTEBOOK];
  const r = spawnSync(python!, basedir ? [...args, basedir] : args, {
    encoding: "utf8",
    maxBuffer: 1 << 27,
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test(
  "nbconvert 7's lab page: the check finds the mermaid import inside an inline script and the widgets CDN",
  { skip },
  () => {
    const html = render("lab");
    assert.match(html, /<main>/, "rendered with the 7.x template (it wraps the cells in <main>)");
    const found = externalReferences(html).join("\n");
    assert.match(found, /loads https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/mermaid\//);
    assert.match(found, /@jupyter-widgets\/html-manager/);
  },
);

test(
  "the project's template on nbconvert 7's lab template leaves nothing to load, because of its overrides",
  { skip },
  () => {
    const ours = render("fragility", path.join(ROOT, "scripts", "nbconvert"));
    assert.match(ours, /<main>/, "the parent was 7.x's lab template");
    assert.match(ours, /fragility-printing/, "the project's template was used");
    assert.deepEqual(externalReferences(ours), []);
    // Without its mermaid and widgets blocks, the same template lets the imports through.
    const copy = path.join(work, "nbconvert");
    fs.cpSync(path.join(ROOT, "scripts", "nbconvert"), copy, { recursive: true });
    const file = path.join(copy, "fragility", "index.html.j2");
    const stripped = fs
      .readFileSync(file, "utf8")
      .replace(
        /\{%-? block html_head_js_mermaidjs -?%\}[\s\S]*?\{%-? endblock html_head_js_mermaidjs -?%\}/,
        "",
      )
      .replace(/\{%-? block jupyter_widgets -?%\}[\s\S]*?\{%-? endblock jupyter_widgets -?%\}/, "");
    assert.notEqual(stripped, fs.readFileSync(file, "utf8"), "the blocks were there to remove");
    fs.writeFileSync(file, stripped);
    const found = externalReferences(render("fragility", copy)).join("\n");
    assert.match(found, /mermaid/);
    assert.match(found, /@jupyter-widgets/);
  },
);
