/**
 * TeX in exported pages, rendered ahead of time to SVG with mathjax-full, so pages need no MathJax
 * script and no network.
 */
import { mathjax } from "mathjax-full/js/mathjax.js";
import { TeX } from "mathjax-full/js/input/tex.js";
import { SVG } from "mathjax-full/js/output/svg.js";
import { liteAdaptor } from "mathjax-full/js/adaptors/liteAdaptor.js";
import { RegisterHTMLHandler } from "mathjax-full/js/handlers/html.js";
import { AllPackages } from "mathjax-full/js/input/tex/AllPackages.js";

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);

/**
 * Renders every $…$, $$…$$, \(…\) and \[…\] outside code, scripts and styles to inline SVG (the
 * glyphs' paths once per page, in MathJax's global font cache at the top of the body).
 */
export function renderMath(html: string): string {
  // Large scripts and styles are set aside so the DOM parser never walks them.
  const kept: string[] = [];
  const shielded = html.replace(
    /<(script|style)\b[\s\S]*?<\/\1>/gi,
    (m) => `<!--fragility-kept-${kept.push(m) - 1}-->`,
  );
  const doc = mathjax.document(shielded, {
    InputJax: new TeX({
      packages: AllPackages,
      inlineMath: [
        ["$", "$"],
        ["\\(", "\\)"],
      ],
      displayMath: [
        ["$$", "$$"],
        ["\\[", "\\]"],
      ],
      processEscapes: true,
    }),
    // One cache of glyph paths for the page (each formula refers to it with <use>), instead of a
    // copy in every formula: about 0.4 MB less on a page with 200 formulas.
    OutputJax: new SVG({ fontCache: "global" }),
  });
  doc.render();
  const out = adaptor.doctype(doc.document) + "\n" + adaptor.outerHTML(adaptor.root(doc.document));
  return out.replace(/<!--fragility-kept-(\d+)-->/g, (_, i: string) => kept[Number(i)]);
}
