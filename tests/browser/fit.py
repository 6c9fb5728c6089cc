"""What "fits the screen" means for the browser tests: nothing in the main area clipped or sticking out.

``CLIPPED_JS`` returns one line per offending element, outermost first (its descendants are not
listed again):
- an element that clips or scrolls (overflow other than visible) whose content is wider than its box:
  a cut label, a table with hidden columns, an equation in a scrolling box;
- an element that reaches past the main area's left or right edge: an equation running off the page;
- a chart's text (tick labels, legend, annotations) cut by the edge of its figure;
- a chart's axis title drawn over its legend.
KaTeX's hidden MathML copy and the inside of SVG drawings are skipped: they are never seen.
"""

CLIPPED_JS = """
() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const area = main.getBoundingClientRect();
  const name = (el) => {
    const owner = el.closest('[data-testid]');
    const keyed = el.closest('[class*="st-key-"]');
    const key = keyed ? [...keyed.classList].find((c) => c.startsWith('st-key-')) : '';
    return `${el.tagName.toLowerCase()} in ${owner ? owner.dataset.testid : '?'} ${key}: `
      + `"${Array.from((el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ')).slice(0, 60).join('')}"`;
  };
  const reported = [];
  const problems = [];
  const report = (el, what) => { reported.push(el); problems.push(`${what}: ${name(el)}`); };
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('.js-plotly-plot, .katex-mathml') || el.ownerSVGElement) continue;
    if (reported.some((outer) => outer.contains(el))) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) continue;
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 2) {
      report(el, `content wider than its box (${el.scrollWidth} > ${el.clientWidth} px)`);
    } else if (box.right > area.right + 2 || box.left < area.left - 2) {
      report(el, `past the main area (${Math.round(box.left)}–${Math.round(box.right)} px, `
                 + `area ${Math.round(area.left)}–${Math.round(area.right)} px)`);
    }
  }
  for (const graph of main.querySelectorAll('.js-plotly-plot')) {
    const frame = graph.getBoundingClientRect();
    for (const text of graph.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.width === 0 || !text.textContent.trim()) continue;
      const outside = r.left < frame.left - 1 || r.right > frame.right + 1
        || r.top < frame.top - 1 || r.bottom > frame.bottom + 1;
      if (outside) {
        const words = Array.from(text.textContent.trim()).slice(0, 60).join('');
        problems.push(`chart text cut by its figure's edge: "${words}"`);
      }
    }
    const entries = [...graph.querySelectorAll('.legend .traces')].map((t) => t.getBoundingClientRect());
    for (const title of graph.querySelectorAll('.infolayer text[class$="title"]')) {
      const r = title.getBoundingClientRect();
      if (r.width === 0 || !title.textContent.trim()) continue;
      const overlaps = (e) => r.left < e.right - 1 && e.left < r.right - 1
        && r.top < e.bottom - 1 && e.top < r.bottom - 1;
      if (entries.some(overlaps)) problems.push(`axis title "${title.textContent.trim()}" overlaps the legend`);
    }
  }
  return problems;
}
"""

# The smallest font size of any text in the main area's charts, in px.
SMALLEST_CHART_TEXT_JS = """
() => Math.min(...[...document.querySelectorAll('[data-testid="stMainBlockContainer"] .js-plotly-plot text')]
  .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map((t) => parseFloat(getComputedStyle(t).fontSize)))
"""

# The thinnest data line (a scatter trace drawn as lines) in the main area's charts, in px.
THINNEST_LINE_JS = """
() => Math.min(...[...document.querySelectorAll('[data-testid="stMainBlockContainer"] .scatterlayer path.js-line')]
  .filter((p) => p.getAttribute('d'))
  .map((p) => parseFloat(getComputedStyle(p).strokeWidth)))
"""
