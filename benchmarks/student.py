"""One simulated student: a Playground session spoken over Streamlit's own websocket protocol.

The browser's client sends a ``BackMsg`` whose ``rerun_script`` carries the page's query string,
the page's script hash and the widget values; the server answers with ``ForwardMsg``s (deltas,
the new query string, ``script_finished``). This client does the same with the classes in
``streamlit.proto``, and keeps what a browser keeps between reruns: the latest query string (the
Playground writes its view into the URL; sending back the first load's query would reset the view
on every move) and every widget value it has set.

A move is checked, so a broken client cannot report fast numbers: its reply must carry the
Playground's chart, different from the previous one, and a URL whose first run has the new
learning rate.
"""

from __future__ import annotations

import asyncio
import math
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

import optimizers

CHART_KEY = "playground_chart"
EDITOR_KEY = "run0_open"
# After this long without a message, a burst of moves has been answered.
QUIET_S = 1.5
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


class MoveError(AssertionError):
    """A reply that is not what the move asked for."""


@dataclass
class Reply:
    """What one rerun sent back."""

    seconds: float
    bytes: int
    chart: bytes | None = None
    query: str = ""
    exceptions: list[str] = field(default_factory=list)


def route_cookie(base_url: str) -> str:
    """Load the page as a browser does first; return the cookies it was given (nginx's route among them)."""
    with urllib.request.urlopen(base_url + "/", timeout=30) as response:
        response.read()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def first_run_lr(query: str) -> float | None:
    """The learning rate of the Playground's first run in a query string (``run=momentum:lr=0.01,...``).

    The URL leaves out settings at their defaults (``run=momentum`` is momentum at lr = 1e-3).
    """
    runs = parse_qs(query).get("run", [])
    if not runs:
        return None
    name, _, written = runs[0].partition(":")
    settings = dict(part.split("=", 1) for part in written.split(",") if "=" in part)
    if "lr" in settings:
        return float(settings["lr"])
    try:
        return next(h.default for h in optimizers.get(name).hyperparameters if h.name == "lr")
    except (ValueError, StopIteration):
        return None


class Student:
    """A Playground session: ``open()``, then ``move()`` the first run's learning rate as often as you like."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.socket: ClientConnection | None = None
        self.query = ""
        self.page_hash = ""
        self.widget_ids: dict[str, str] = {}
        self.lr_key = ""
        self.lr_options: list[str] = []
        self.lr_index = 0
        self.states: dict[str, WidgetState] = {}
        self.last_chart: bytes | None = None
        self._partial = Reply(0.0, 0)

    async def open(self) -> None:
        """Load the page, then open the first run's editor so its learning-rate slider is drawn."""
        cookie = route_cookie(self.base_url)
        url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.socket = await connect(url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                    max_size=None, proxy=None, open_timeout=60, ping_interval=None)
        self._check(await self.rerun(), "the first load")
        self._set(EDITOR_KEY, bool_value=True)
        self._check(await self.rerun(), "opening the first run's editor")
        if not self.lr_options:
            raise MoveError("the first run's editor shows no learning-rate slider")
        current = first_run_lr(self.query)
        if current is None:
            raise MoveError(f"the URL names no learning rate for the first run: {self.query!r}")
        self.lr_index = min(range(len(self.lr_options)), key=lambda i: abs(float(self.lr_options[i]) - current))

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def move(self, index: int) -> Reply:
        """Set the first run's learning rate to option ``index``, wait for the page and check it."""
        self._set_lr(index)
        reply = await self.rerun()
        self._check_move(reply)
        return reply

    async def moves_in_a_burst(self, indices: list[int], gap_s: float = 0.1) -> Reply:
        """Send several moves ``gap_s`` apart without waiting, as a browser does while a student drags.

        Meanwhile it reads what arrives, as a browser does, so each move carries the newest query
        string the client has. The server may skip intermediate values, but once it falls quiet the
        page must show the last one.
        """
        started = time.perf_counter()
        self._partial, last = Reply(0.0, 0), None
        for index in indices:
            self._set_lr(index)
            await self._send()
            last = await self._listen(gap_s, started) or last
        while True:
            finished, heard = await self._listen(QUIET_S, started, report_silence=True)
            last = finished or last
            if last is not None and not heard:
                break
        self._check_move(last)
        return last

    async def _listen(self, seconds: float, started: float, report_silence: bool = False):
        """Handle what arrives for ``seconds``; the reply of the last run that finished meanwhile, or None
        (with ``report_silence``, also whether anything arrived at all)."""
        loop = asyncio.get_running_loop()
        deadline, finished, heard = loop.time() + seconds, None, False
        while (left := deadline - loop.time()) > 0:
            try:
                data = await asyncio.wait_for(self.socket.recv(), left)  # cancelling recv() loses no message
            except TimeoutError:
                break
            heard = True
            if self._handle(data, self._partial):
                self._partial.seconds = time.perf_counter() - started
                finished, self._partial = self._partial, Reply(0.0, 0)
        return (finished, heard) if report_silence else finished

    @property
    def lr(self) -> float:
        return float(self.lr_options[self.lr_index])

    async def rerun(self) -> Reply:
        started = time.perf_counter()
        await self._send()
        return await self._until_finished(started)

    def _set_lr(self, index: int) -> None:
        self.lr_index = index
        self._set(self.lr_key, string_array_value=[self.lr_options[index]])

    def _set(self, key: str, **value) -> None:
        if key not in self.widget_ids:
            raise MoveError(f"no widget with key {key!r} on the page")
        state = WidgetState(id=self.widget_ids[key])
        for kind, content in value.items():
            if kind == "string_array_value":
                state.string_array_value.data[:] = content
            else:
                setattr(state, kind, content)
        self.states[key] = state

    async def _send(self) -> None:
        message = BackMsg()
        client_state = message.rerun_script
        client_state.query_string = self.query
        client_state.page_script_hash = self.page_hash
        client_state.widget_states.widgets.extend(self.states.values())
        await self.socket.send(message.SerializeToString())

    async def _until_finished(self, started: float) -> Reply:
        """Read until a script run finishes; runs interrupted by a newer move are skipped."""
        reply = Reply(0.0, 0)
        while not self._handle(await self.socket.recv(), reply):
            pass
        reply.seconds = time.perf_counter() - started
        return reply

    def _handle(self, data: bytes, reply: Reply) -> bool:
        """Take in one message as a browser does; True when it says a script run finished."""
        reply.bytes += len(data)
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta":
            self._read_delta(message.delta, reply)
        elif kind == "page_info_changed":
            self.query = reply.query = message.page_info_changed.query_string
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
        return kind == "script_finished" and message.script_finished == FINISHED

    def _read_delta(self, delta, reply: Reply) -> None:
        kind = delta.WhichOneof("type")
        if kind == "add_block" and delta.add_block.WhichOneof("type") == "expandable":
            self._remember(delta.add_block.expandable.id)
        if kind != "new_element":
            return
        element_kind = delta.new_element.WhichOneof("type")
        element = getattr(delta.new_element, element_kind)
        if element_kind == "exception":
            reply.exceptions.append(f"{element.type}: {element.message}")
        widget_id = getattr(element, "id", "")
        key = self._remember(widget_id)
        if key == CHART_KEY:
            reply.chart = element.spec.encode()
        if key and key.startswith("run0_") and key.endswith("_lr"):
            self.lr_key, self.lr_options = key, list(element.options)

    def _remember(self, widget_id: str) -> str | None:
        """A keyed widget's id ends in ``-<key>``; remember it by its key."""
        if not widget_id.startswith("$$ID-"):
            return None
        key = widget_id.split("-", 2)[2]
        self.widget_ids[key] = widget_id
        return key

    def _check(self, reply: Reply, what: str) -> None:
        if reply.exceptions:
            raise MoveError(f"{what} raised: {reply.exceptions[0]}")
        if reply.chart is None:
            raise MoveError(f"{what} sent no Playground chart")
        self.last_chart = reply.chart

    def _check_move(self, reply: Reply) -> None:
        previous = self.last_chart
        self._check(reply, f"moving lr to {self.lr:g}")
        drawn = first_run_lr(self.query)
        if not _same(drawn, self.lr):
            raise MoveError(f"moved lr to {self.lr:g} last, but the page shows lr = {drawn:g} (URL {self.query!r})")
        if reply.chart == previous:
            raise MoveError(f"moving lr to {self.lr:g} sent the same chart again")


def _same(value: float | None, expected: float) -> bool:
    return value is not None and math.isclose(value, expected, rel_tol=1e-9)
