"""Page-wide layout shared by every page: room for the figure, equations that fit, Present and Copy link."""

import streamlit as st

_COMPACT = """
<style>
.block-container {padding-top: 2.2rem; padding-bottom: 2rem;}
h1 {padding-top: 0 !important;}
.st-key-top_bar {position: fixed; top: 0.55rem; right: 4.5rem; z-index: 999991; width: auto !important;}
[data-testid="stPageLink-NavLink"] span {white-space: normal; overflow: visible;}
[data-testid="stButtonGroup"] > div {flex-wrap: wrap;}
</style>
"""

# A displayed equation wider than its column is scaled down to fit (KaTeX sizes everything in em),
# whenever the page changes or the window is resized: a projector's 1280 px cut them on the right.
_FIT_EQUATIONS = """
<script>
(() => {
  if (window.__fitEquations) return;
  window.__fitEquations = true;
  const fit = () => {
    for (const display of document.querySelectorAll('.katex-display')) {
      const equation = display.querySelector(':scope > .katex');
      if (!equation) continue;
      display.style.fontSize = '';
      const natural = equation.scrollWidth, room = display.clientWidth;
      if (room > 0 && natural > room) display.style.fontSize = `${Math.floor((room / natural) * 100) / 100}em`;
    }
  };
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fit(); });
  };
  new MutationObserver(schedule).observe(document.body, {subtree: true, childList: true, characterData: true});
  window.addEventListener('resize', schedule);
  schedule();
})();
</script>
"""


def compact() -> None:
    """Less empty space above the title, so the main figure fits a projector's 1280×720, and equations that fit."""
    st.html(_COMPACT)
    st.html(_FIT_EQUATIONS, unsafe_allow_javascript=True)


def top_bar():
    """The fixed bar at the top right of every page (it takes no room in the page's flow)."""
    return st.container(key="top_bar", horizontal=True, vertical_alignment="center", gap="small")
