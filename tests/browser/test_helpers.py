"""The helpers do what page tests rely on, checked against a small demo app rather than the real pages."""

from collections.abc import Iterator

import numpy as np
import pytest

from .harness import ARTIFACTS_DIR, serve_streamlit
from .helpers import StreamlitPage, expect

DEMO_APP = """
import numpy as np
import plotly.graph_objects as go
import streamlit as st

GRID = np.linspace(-2.0, 2.0, 21)


def controls():
    rate = st.slider("Learning rate", 0.0, 1.0, 0.5, 0.05)
    beta = st.select_slider("Beta", options=[0.9, 0.99, 0.999], value=0.99)
    steps = st.number_input("Steps", 1, 1000, 100)
    st.write(f"rate={rate:.2f} beta={beta} steps={steps}")


def chart():
    xs, ys = np.meshgrid(GRID, GRID)
    figure = go.Figure([
        go.Contour(x=GRID, y=GRID, z=xs**2 + 3 * ys**2),
        go.Scatter(x=xs.ravel(), y=ys.ravel(), mode="markers", marker={"opacity": 0}),
    ])
    points = st.plotly_chart(figure, on_select="rerun", selection_mode="points", key="landscape").selection.points
    st.write(f"clicked={points[0]['x']:.1f},{points[0]['y']:.1f}" if points else "clicked=none")


def failing():
    if st.query_params.get("fail"):
        raise RuntimeError("deliberate failure")
    st.write("fine")


st.navigation([
    st.Page(controls, title="Controls", default=True),
    st.Page(chart, title="Chart"),
    st.Page(failing, title="Failing"),
]).run()
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Overrides the session's app.py server for this module only."""
    script = tmp_path_factory.mktemp("demo") / "demo_app.py"
    script.write_text(DEMO_APP)
    with serve_streamlit(script, ARTIFACTS_DIR / "demo-server.log") as url:
        yield url


def test_set_slider_moves_the_thumb_both_ways(app: StreamlitPage) -> None:
    app.open()

    app.set_slider("Learning rate", 0.65)
    expect(app.page.get_by_text("rate=0.65 ")).to_be_visible()
    app.set_slider("Learning rate", 0.1)
    expect(app.page.get_by_text("rate=0.10 ")).to_be_visible()


def test_set_slider_picks_a_select_slider_option_by_its_text(app: StreamlitPage) -> None:
    app.open()

    app.set_slider("Beta", "0.999")
    expect(app.page.get_by_text("beta=0.999 ")).to_be_visible()


def test_set_slider_rejects_a_value_off_the_step_grid(app: StreamlitPage) -> None:
    app.open()

    with pytest.raises(AssertionError, match="stopped at"):
        app.set_slider("Learning rate", 0.123)


def test_set_number_types_and_commits(app: StreamlitPage) -> None:
    app.open()

    app.set_number("Steps", 250)
    expect(app.page.get_by_text("steps=250")).to_be_visible()


def test_plotly_figure_reads_the_chart_and_click_plot_selects_a_point(app: StreamlitPage) -> None:
    app.open("chart")

    contour, scatter = app.plotly_figure()["data"]
    grid = np.linspace(-2.0, 2.0, 21)
    assert contour["type"] == "contour"
    np.testing.assert_array_equal(contour["x"], grid)
    np.testing.assert_array_equal(contour["z"], grid[None, :] ** 2 + 3 * grid[:, None] ** 2)
    assert scatter["mode"] == "markers"
    assert len(scatter["x"]) == 21 * 21

    app.click_plot(1.0, -0.6)
    expect(app.page.get_by_text("clicked=1.0,-0.6")).to_be_visible()


def test_navigation_links_lists_every_page(app: StreamlitPage) -> None:
    app.open()

    assert app.navigation_links() == [
        ("Controls", f"{app.base_url}/"),
        ("Chart", f"{app.base_url}/chart"),
        ("Failing", f"{app.base_url}/failing"),
    ]


def test_opening_a_page_by_url_is_healthy(app: StreamlitPage) -> None:
    app.open("failing")

    expect(app.page.get_by_text("fine")).to_be_visible()


def test_assert_healthy_reports_an_exception_with_its_message(app: StreamlitPage) -> None:
    with pytest.raises(AssertionError, match="deliberate failure"):
        app.open("failing", fail=1)


def test_assert_healthy_reports_an_unknown_page(app: StreamlitPage) -> None:
    with pytest.raises(AssertionError, match="Page not found"):
        app.open("no-such-page")
