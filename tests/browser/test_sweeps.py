"""The Sweeps page in chromium: a heatmap that follows the grid slider, and a click that opens the Playground."""

from urllib.parse import parse_qs, urlparse

import numpy as np

from ui.sweeps_controls import LinkAxis
from ui.view import RunSpec, from_query

from .helpers import StreamlitPage


def open_sweeps(app: StreamlitPage) -> None:
    # The first run of a fresh server must be the router's: opened directly, /sweeps would run in
    # Streamlit's legacy pages-folder mode until app.py has called st.navigation once.
    app.open()
    app.open("sweeps")
    app.plotly_graphs().first.locator(".main-svg").first.wait_for()


def heatmap(app: StreamlitPage) -> np.ndarray:
    return np.asarray(app.plotly_figure()["data"][0]["z"])


def test_the_heatmap_follows_the_grid_slider(app: StreamlitPage) -> None:
    open_sweeps(app)
    assert app.plotly_figure()["data"][0]["type"] == "heatmap"
    assert heatmap(app).shape == (50, 50)

    app.set_slider("Cells per side", "20")
    app.plotly_graphs().first.locator(".main-svg").first.wait_for()

    assert heatmap(app).shape == (20, 20)
    app.assert_healthy()
    app.screenshot("sweeps-map")


def test_clicking_a_cell_opens_it_in_the_playground(app: StreamlitPage) -> None:
    open_sweeps(app)
    app.set_slider("Cells per side", "10")
    lr, beta1 = LinkAxis("lr", 1e-4, 10.0, 10, True).values()[6], LinkAxis("beta1", 0.0, 0.99, 10, False).values()[7]

    app.click_plot(lr, beta1)
    # Streamlit switches pages in place (history.pushState), so there is no load event to wait for.
    # The query string can change a moment before the path does, so wait for both: the Playground is
    # the default page, at the root, and its heading has been drawn.
    app.page.wait_for_function(
        "() => location.pathname.replace(/\\/+$/, '') === ''"
        " && (new URLSearchParams(location.search).get('run') || '').startsWith('adam:')"
    )
    app.page.get_by_role("heading", name="Optimizer Playground").wait_for()
    app.wait_until_idle()

    view, notes = from_query(parse_qs(urlparse(app.page.url).query))
    assert notes == []
    assert [run.settings for run in view.runs] == [RunSpec.of("adam", lr=lr, beta1=beta1).settings]
    assert (view.landscape, view.start, view.steps) == ("rosenbrock", (-1.5, 2.0), 1000)
    app.assert_healthy()
