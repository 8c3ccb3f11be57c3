/**
 * npm run readme [-- --out build]: the maintainer's step that copies the results table of the last
 * paper-scale run (build/RESULTS.md's table, from the claims and results files) into README.md,
 * between <!-- results:start --> and <!-- results:end -->. The main job never edits a tracked file;
 * it writes build/RESULTS.md only.
 */
import * as path from "path";
import { parseCommandLine, requireFreshBuild, runCli } from "./cli";
import { ROOT } from "./jupyter";
import { resultsMarkdown, updateReadme } from "./review-index";

const USAGE = `usage: npm run readme -- [--out dir]
  copies the results table of the last paper-scale run in <out> (default build/) into README.md,
  between <!-- results:start --> and <!-- results:end -->; every notebook's latest run, failed ones
  included
  --help  this text`;

function main(argv: string[]): number {
  requireFreshBuild("readme");
  const { values } = parseCommandLine("readme", USAGE, argv, { out: { type: "string" } });
  const out = path.resolve(values.out ?? path.join(ROOT, "build"));
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

if (require.main === module) runCli(() => main(process.argv.slice(2)));
