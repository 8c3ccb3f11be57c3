/**
 * npm run readme [-- --out build]: the maintainer's step that copies the results table of the last
 * paper-scale run (build/RESULTS.md's table, from the claims and results files) into README.md,
 * between <!-- results:start --> and <!-- results:end -->. The main job never edits a tracked file;
 * it writes build/RESULTS.md only.
 */
import * as path from "path";
import { ROOT } from "./jupyter";
import { resultsMarkdown, updateReadme } from "./review-index";

function main(argv: string[]): number {
  let out = path.join(ROOT, "build");
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" && argv[i + 1]) out = path.resolve(argv[++i]);
    else {
      console.error("usage: npm run readme -- [--out dir]");
      return 2;
    }
  }
  const r = resultsMarkdown(out);
  if (!r.paperScale) {
    console.error(
      `the README's table comes from a run where every notebook ran at paper scale; ${out} has: ${r.table.split("\n")[0]}\nrun npm run reproduce -- --scale paper first`,
    );
    return 1;
  }
  if (!updateReadme(out)) {
    console.error("README.md has no <!-- results:start --> … <!-- results:end --> section");
    return 1;
  }
  console.log(`README.md results table updated from ${out}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
