"""The Playground's curvature layer and a cloud of 32 noisy runs, in a real browser."""

from __future__ import annotations

import numpy as np

from .helpers import StreamlitPage, expect

# Every (x, y) of the traces named "curvature here" (the crosses at the replayed step), as the graph holds them.
CROSSES_AT = ("graph => graph.data.filter(t => t.name === 'curvature here')"
              ".flatMap(t => Array.from(t.x).concat(Array.from(t.y)))")


def test_curvature_and_a_cloud_of_32_together(app: StreamlitPage):
    app.open("", landscape="quadratic", condition="100", angle="30", noise="2", cloud="32", curvature="1",
             run=["sgd:lr=0.03", "sgd:lr=0.019", "adam:lr=0.02"])
    graph = app.plotly_graphs().first
    expect(graph.locator(".main-svg").first).to_be_visible(timeout=60_000)
    app.wait_until_idle()
    app.assert_healthy()
    page = app.page
    expect(page.get_by_text("must oscillate and grow along the steepest direction").first).to_be_visible()
    expect(page.get_by_text("Final loss over 32 seeds")).to_be_visible()
    assert app.plotly_graphs().count() == 2
    figure = app.plotly_figure()
    assert "yaxis3" in figure["layout"], "the sharpness panel is drawn"
    boxes = app.plotly_figure(1)["data"]
    assert [trace["type"] for trace in boxes] == ["box"] * 3
    # SGD at α = 0.03 > 2/λmax diverges on every seed: the box counts them apart.
    assert "32 of 32 diverged" in boxes[0]["name"]
    before = graph.evaluate(CROSSES_AT)
    graph.locator(".updatemenu-button").filter(has_text="▶ 4×").click()
    page.wait_for_function(f"([graph, before]) => JSON.stringify(({CROSSES_AT})(graph)) !== JSON.stringify(before)",
                           arg=[graph.element_handle(), before], timeout=30_000)
    during = np.asarray(graph.evaluate(CROSSES_AT), dtype=float)
    assert np.isfinite(during).any(), "the crosses move with the replay"
    app.screenshot("playground-curvature-cloud-1440")
    app.assert_healthy()
