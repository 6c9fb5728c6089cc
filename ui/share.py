"""Links that reproduce a page: widgets bound to the URL, a note for link values that were dropped, Copy link.

Pages bind their widgets with ``bind=BIND`` (Streamlit keeps the value in the query parameter named
by the widget's key and silently drops one it cannot use). The router takes the query before the
page runs and compares it with the widgets' values after, so a dropped value gets a visible note.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

BIND = "query-params"
NOTES = "share_link_notes"
WRITTEN = "share_written_queries"
# Every rerun request carries the address the browser has at that moment, which lags behind when the
# app moves a widget itself (Play, Next): a query the app wrote in its last few runs is no new link.
RECENT_QUERIES = 16

# The button copies the address bar's link. navigator.clipboard exists only on https or localhost (and the
# browser may refuse it); a class served over plain http gets the older execCommand copy, and where
# both fail the link is shown, selected, to copy by hand. One listener on the document serves every
# rerun's new button.
_COPY_LINK = """
<div class="copy-link">
  <button type="button" class="copy-link-button" title="Copy the address of this view">
    <span class="copy-link-icon" aria-hidden="true">link</span>
    <span class="copy-link-label">Copy link</span>
  </button>
  <div class="copy-link-fallback" role="dialog" hidden>
    <span>Copying was refused here; select and copy this address:</span>
    <input type="text" readonly aria-label="the address of this view">
    <button type="button" class="copy-link-close" aria-label="close">×</button>
  </div>
</div>
<style>
.copy-link {position: relative; font-family: inherit;}
.copy-link-button {font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); background: var(--background-color, #fff); color: inherit;
  cursor: pointer; white-space: nowrap; min-height: 2.25rem;}
.copy-link-button:hover {border-color: #ff4b4b; color: #ff4b4b;}
/* Streamlit's own icon font (the page menu's icons), by ligature name. */
.copy-link-icon {font-family: "Material Symbols Rounded"; font-size: 1.2em; vertical-align: -0.25em;
  margin-right: 0.25em; font-weight: 400; line-height: 1;}
.copy-link-fallback {position: absolute; right: 0; top: 2.6rem; width: 34rem; max-width: 80vw; padding: 0.6rem;
  background: #fff; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  box-shadow: 0 4px 12px rgba(0, 0, 0, 0.15); font-size: 0.875rem;}
.copy-link-fallback:not([hidden]) {display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center;}
.copy-link-fallback input {flex: 1 1 100%; font: inherit; font-family: monospace; padding: 0.3rem;}
.copy-link-close {position: absolute; top: 0.2rem; right: 0.4rem; border: none; background: none; cursor: pointer;}
</style>
<script>
(() => {
  if (window.__copyLink) return;
  window.__copyLink = true;
  const copyByCommand = (text) => {
    const area = Object.assign(document.createElement('textarea'), {value: text});
    area.style.cssText = 'position: fixed; top: 0; opacity: 0;';
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch (error) { copied = false; }
    area.remove();
    return copied;
  };
  document.addEventListener('click', async (event) => {
    const box = event.target.closest('.copy-link');
    if (!box) return;
    const fallback = box.querySelector('.copy-link-fallback');
    if (event.target.closest('.copy-link-close')) { fallback.hidden = true; return; }
    const button = event.target.closest('.copy-link-button');
    if (!button) return;
    const link = window.location.href, label = button.querySelector('.copy-link-label');
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch (error) {
      copied = copyByCommand(link);
    }
    if (copied) {
      fallback.hidden = true;
      const icon = button.querySelector('.copy-link-icon');
      [label.textContent, icon.textContent] = ['Link copied', 'check'];
      setTimeout(() => { [label.textContent, icon.textContent] = ['Copy link', 'link']; }, 2000);
    } else {
      const input = fallback.querySelector('input');
      input.value = link;
      fallback.hidden = false;
      input.select();
    }
  });
})();
</script>
"""


def current_query() -> dict[str, list[str]]:
    """Every query parameter with all its values (``to_dict`` keeps only the last)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def url_number(key: str) -> float | None:
    """The finite number the URL holds for ``key``, if any: lets a slider offer a linked value off its grid."""
    raw = st.query_params.get(key)
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _agrees(raw: str, value: object) -> bool:
    if isinstance(value, bool):
        return raw.lower() in ((str(value).lower(), str(int(value))))
    if isinstance(value, int | float):
        try:
            return math.isclose(float(raw), float(value), rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            return False
    return raw.lower() == str(value).lower()


def dropped_values(linked: Mapping[str, list[str]], now: Mapping[str, list[str]],
                   state: Mapping[str, object]) -> list[str]:
    """A note per linked widget value the widget did not take.

    A value took if the URL still holds it after the run (``now``), or if it left the URL because
    it equals the widget's default (Streamlit keeps only non-default values there).
    """
    notes = []
    for key, raw in linked.items():
        if key not in state or now.get(key) == raw:
            continue
        value = state[key]
        values = list(value) if isinstance(value, list | tuple) else [value]
        if len(raw) != len(values) or not all(_agrees(r, v) for r, v in zip(raw, values, strict=False)):
            notes.append(f"“{key}={','.join(raw)}” ignored: not a value this control offers")
    return notes


def bound_default(key: str, default):
    """``default`` for the widget bound to ``key``, also put in the session (pages read it before the widget).

    Pass it to the widget as its own default (``value=``, ``index=``, ``default=``): Streamlit leaves a value
    equal to the widget's own default out of the URL and drops a link's value equal to it, and without one
    that default is the first option (a slider's minimum), so no link could ask for the first option.
    """
    st.session_state.setdefault(key, default)
    return default


def check_link(linked: Mapping[str, list[str]], page: str, more_notes: list[str]) -> None:
    """After ``page`` ran: remember a note for each value of its link that did not take (and ``more_notes``).

    Only a query the app did not write itself is a link to check; the notes stay while the page is
    open: the values they describe have left the URL by the next rerun.
    """
    now = current_query()
    written = st.session_state.get(WRITTEN, [])
    st.session_state[WRITTEN] = [*[q for q in written if q != now][-(RECENT_QUERIES - 1):], now]
    if linked in written:
        return
    if notes := dropped_values(linked, now, st.session_state) + more_notes:
        st.session_state[NOTES] = (page, notes)
    elif st.session_state.get(NOTES, ("", []))[0] != page:
        st.session_state.pop(NOTES, None)


def show_link_notes(slot, page: str) -> None:
    """The notes about the link ``page`` was opened with, in ``slot``."""
    shown_page, notes = st.session_state.get(NOTES, ("", []))
    if notes and shown_page == page:
        slot.warning("Part of this link was not used: " + "; ".join(notes), icon=":material/link_off:")


def copy_link() -> None:
    """One click copies this view's address (the address bar's: every page keeps it current); if refused, shows it."""
    st.html(_COPY_LINK, unsafe_allow_javascript=True)
