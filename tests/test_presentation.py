"""The projector restyling of figures, and the check of which link values a page's widgets took."""

import copy

from ui.share import dropped_values
from viz.presentation import MIN_LINE, MIN_TEXT, enlarge_spec, wrap

SPEC = {
    "data": [{"type": "scatter", "mode": "lines", "line": {"width": 1.2}, "x": [0, 1], "y": [0, 1]},
             {"type": "scatter", "mode": "markers", "marker": {"size": 6}, "x": [0], "y": [0]},
             {"type": "heatmap", "z": [[1]], "colorbar": {"title": {"text": "f"}}}],
    "layout": {"title": {"text": "<b>how far the decay pulls θ each step</b>", "font": {"size": 13}},
               "xaxis": {"title": {"text": "step t"}, "tickfont": {"size": 10}},
               "yaxis2": {"type": "log", "exponentformat": "power"},
               "legend": {"font": {"size": 11}}, "margin": {"t": 30},
               "annotations": [{"text": "a note", "font": {"size": 12}}, {"text": "big", "font": {"size": 30}}]},
}


def test_enlarge_raises_every_text_and_data_line_and_leaves_the_original_alone():
    original = copy.deepcopy(SPEC)
    big = enlarge_spec(SPEC)

    assert original == SPEC
    layout = big["layout"]
    assert layout["font"]["size"] == MIN_TEXT and layout["legend"]["font"]["size"] == MIN_TEXT
    assert layout["xaxis"]["tickfont"]["size"] == MIN_TEXT and layout["xaxis"]["title"]["font"]["size"] == MIN_TEXT
    assert layout["yaxis2"]["tickfont"]["size"] == MIN_TEXT * 4 / 3  # its exponents are drawn at 3/4
    assert layout["xaxis"]["tickfont"]["size"] == MIN_TEXT
    assert [a["font"]["size"] for a in layout["annotations"]] == [MIN_TEXT, 30]
    assert big["data"][0]["line"]["width"] == MIN_LINE
    assert "line" not in big["data"][1]
    assert big["data"][2]["colorbar"]["tickfont"]["size"] == MIN_TEXT
    assert layout["title"]["text"].count("<br>") == 1 and layout["margin"]["t"] >= 60


def test_wrap_breaks_at_spaces_and_keeps_an_authors_breaks():
    assert wrap("one two three four", 9) == "one two<br>three<br>four"
    assert wrap("<b>bold words</b> here", 10) == "<b>bold words</b><br>here"
    assert wrap("already<br>broken text here", 5) == "already<br>broken text here"


def test_dropped_values_names_link_values_a_widget_did_not_take():
    linked = {"beta": ["lots"], "step": ["30"], "lr": ["0.9"], "flag": ["1"], "unknown": ["x"], "kept": ["a"]}
    now = {"step": ["30"], "kept": ["a"]}
    state = {"beta": 0.9, "step": 30, "lr": 0.9, "flag": True, "kept": "a"}

    notes = dropped_values(linked, now, state)

    # lr left the URL because 0.9 is its default; flag=1 is True; an unknown key is nobody's widget.
    assert notes == ["“beta=lots” ignored: not a value this control offers"]
