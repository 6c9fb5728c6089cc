"""Two replicas behind deploy/nginx.conf: a browser keeps its replica, and losing one costs only its sessions.

deploy/local.py starts Debian's nginx from the deployment's configuration in front of two
`streamlit run app.py` processes. Which replica holds a session is read from the machine's TCP table
(its websocket is the only connection that stays open) and from nginx's access log (the upstream of
every request, with the browser's route cookie).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from deploy import local

from .harness import ARTIFACTS_DIR, skip_or_fail
from .helpers import BrowserLog, StreamlitPage, expect

ESTABLISHED = "01"


@pytest.fixture
def balanced() -> Iterator[tuple[local.Server, list[local.Server]]]:
    """(nginx, [replica, replica]), fresh for each test: the tests stop replicas."""
    if local.find_nginx() is None:
        skip_or_fail(f"no nginx; {local.INSTALL_NGINX_HINT}")
    with local.cluster(2, ARTIFACTS_DIR / "replicas") as servers:
        yield servers


def open_connections(port: int) -> int:
    """Established TCP connections accepted on ``port`` on this machine."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local_address, state = line.split()[1], line.split()[3]
            if int(local_address.rsplit(":", 1)[1], 16) == port and state == ESTABLISHED:
                count += 1
    return count


def replica_holding(servers: list[local.Server]) -> local.Server:
    """The one replica with the browser's websocket open (the other has no open connection)."""
    holding = [server for server in servers if server.process.poll() is None and open_connections(server.port)]
    assert len(holding) == 1, {server.port: open_connections(server.port) for server in servers}
    return holding[0]


def open_playground(page, base_url: str) -> StreamlitPage:
    """The Playground in ``page``, with a console log of its own."""
    log = BrowserLog()
    log.record(page)
    app = StreamlitPage(page, base_url, log)
    app.open("")
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    return app


def first_run_lr(app: StreamlitPage) -> str:
    """The first run's learning rate as the URL holds it (``run=momentum:lr=0.01``)."""
    first_run = next(part for part in unquote(app.page.url).split("&") if part.split("?")[-1].startswith("run="))
    return first_run.split("lr=")[1].split(",")[0] if "lr=" in first_run else "default"


def move_first_learning_rate(app: StreamlitPage) -> str:
    """Open the first run's settings if closed, press ← on its learning rate; return the new URL value."""
    before = first_run_lr(app)
    expander = app.page.get_by_test_id("stSidebar").get_by_test_id("stExpander").first
    if not expander.get_by_test_id("stSlider").first.is_visible():
        with app.waiting_for_rerun():
            expander.locator("summary").click()
    thumb = expander.get_by_test_id("stSlider").first.locator("input[type='range']")
    thumb.locator("xpath=../..").scroll_into_view_if_needed()
    box = thumb.locator("xpath=../..").bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    with app.waiting_for_rerun():
        app.page.keyboard.press("ArrowLeft")
    app.assert_healthy()
    after = first_run_lr(app)
    assert after != before, f"the first run's learning rate stayed {before}"
    return after


def route_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == local.ROUTE_COOKIE)


def requests_of(front: local.Server, route: str) -> list[str]:
    """nginx's access-log lines for the browser with this route cookie."""
    return [line for line in local.access_log(front) if line.endswith(f"route={route}")]


def upstreams_of(front: local.Server, route: str) -> set[str]:
    """Every replica nginx sent this browser's requests to."""
    return {line.split("upstream=")[1].split()[0] for line in requests_of(front, route)}


def new_browser_on(servers: list[local.Server], held: set[int], browser, base_url: str) -> tuple[int, StreamlitPage]:
    """A Playground in a new browser (its own cookie jar); returns the port of the replica it landed on.

    ``held``: the ports of the replicas holding one open session each; a closed browser's connection
    must be gone before counting, or it could hide the new one.
    """
    for _ in range(40):
        before = {server.port: open_connections(server.port) for server in servers}
        if before == {server.port: int(server.port in held) for server in servers}:
            break
        time.sleep(0.25)
    app = open_playground(browser.new_context(viewport={"width": 1280, "height": 720}).new_page(), base_url)
    gained = [server.port for server in servers if open_connections(server.port) > before[server.port]]
    assert len(gained) == 1, (before, {server.port: open_connections(server.port) for server in servers})
    return gained[0], app


def test_a_browser_stays_on_its_replica_across_moves_and_reloads(balanced, page):
    front, servers = balanced
    app = open_playground(page, front.url)
    home = replica_holding(servers)
    moved = move_first_learning_rate(app)
    assert replica_holding(servers) is home

    page.reload()  # a reconnect: the websocket closes and a new one opens
    app.wait_until_idle()
    expect(app.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    app.assert_healthy()
    assert first_run_lr(app) == moved, "the reload shows the view from the URL"
    assert replica_holding(servers) is home
    move_first_learning_rate(app)

    route = route_of(page)
    page.goto("about:blank")  # nginx logs a websocket once it closes
    for _ in range(40):
        sockets = [line for line in requests_of(front, route) if "/_stcore/stream" in line]
        if len(sockets) == 2:
            break
        page.wait_for_timeout(250)
    assert len(sockets) == 2, local.access_log(front)
    assert upstreams_of(front, route) == {f"127.0.0.1:{home.port}"}, local.access_log(front)


def test_losing_a_replica_costs_only_its_own_sessions(balanced, browser):
    front, servers = balanced
    sessions: dict[int, StreamlitPage] = {}
    for _ in range(12):  # new browsers land on either replica, each with even odds
        port, app = new_browser_on(servers, set(sessions), browser, front.url)
        if port in sessions:
            app.page.context.close()
        else:
            sessions[port] = app
        if len(sessions) == 2:
            break
    assert len(sessions) == 2, "twelve new browsers all landed on one replica"
    doomed, survivor = servers
    lost, kept = sessions[doomed.port], sessions[survivor.port]
    lost_view = move_first_learning_rate(lost)
    move_first_learning_rate(kept)

    doomed.stop()
    move_first_learning_rate(kept)  # the other replica's session goes on as if nothing happened
    kept.assert_healthy()

    lost.log.errors.clear()  # its broken websocket is the expected loss
    lost.page.reload()  # the reload lands on the surviving replica and rebuilds the view from the URL
    lost.wait_until_idle()
    expect(lost.plotly_graphs().first.locator(".main-svg").first).to_be_visible(timeout=60_000)
    lost.assert_healthy()
    assert first_run_lr(lost) == lost_view
    assert open_connections(survivor.port) == 2
    move_first_learning_rate(lost)
    kept.assert_healthy()
    for app in (lost, kept):
        app.page.context.close()
