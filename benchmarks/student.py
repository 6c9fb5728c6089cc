"""Simulated students: app sessions spoken over Streamlit's own websocket protocol, one per page's main control.

The browser's client sends a ``BackMsg`` whose ``rerun_script`` carries the page's query string,
the page's name or script hash and the widget values; the server answers with ``ForwardMsg``s
(deltas, the new query string, ``script_finished``). ``Session`` does the same with the classes in
``streamlit.proto``, and keeps what a browser keeps between reruns: the latest query string (pages
write their view into the URL; sending back the first load's query would reset the view on every
move) and every widget value it has set.

A student moves one control (``Student.move``), and each move is checked, so a broken client
cannot report fast numbers: its reply must carry the page's chart, different from the previous
one, and show the new value: in the URL the Playground writes, or in the text the other pages
write (their widgets' URL parameters are written by the browser itself, not by the server). The
students:

- ``PlaygroundStudent``: the first run's learning rate (select-slider) in the Playground;
- ``SweepsStudent``: the Sweeps map's start x (number input): every move computes a new map
  (50 × 50 Adam runs × 1,000 steps), the worst case for the server;
- ``InsideAdamStudent``: Inside Adam's step t (slider);
- ``EmaStudent``: Moving averages' β (select-slider).
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

import optimizers

# After this long without a message, a burst of moves has been answered.
QUIET_S = 1.5
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
SELECT_SLIDER = Slider.Type.Value("SELECT_SLIDER")
NEARBY = 3  # a slider moves at most this many positions at a time


class MoveError(AssertionError):
    """A reply that is not what the move asked for."""


@dataclass
class Reply:
    """What one rerun sent back."""

    seconds: float
    bytes: int
    charts: dict[str, bytes] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # markdown and LaTeX bodies
    query: str = ""
    exceptions: list[str] = field(default_factory=list)


@dataclass
class Control:
    """A keyed widget as the page last drew it: its id, and a slider's positions (labels) if it has any."""

    id: str
    options: list[str] = field(default_factory=list)
    kind: str = ""  # the WidgetState field its value travels in


def route_cookie(base_url: str) -> str:
    """Load the page as a browser does first; return the cookies it was given (nginx's route among them)."""
    with urllib.request.urlopen(base_url + "/", timeout=30) as response:
        response.read()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


class Session:
    """One browser tab on one page of the app: ``open()``, ``set()`` widgets, ``rerun()``."""

    page = ""  # the page's URL path; "" is the default page

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.socket: ClientConnection | None = None
        self.query = ""
        self.page_hash = ""
        self.controls: dict[str, Control] = {}
        self.states: dict[str, WidgetState] = {}
        self._partial = Reply(0.0, 0)

    async def open(self) -> Reply:
        cookie = route_cookie(self.base_url)
        url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.socket = await connect(url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                    max_size=None, proxy=None, open_timeout=60, ping_interval=None)
        return await self.rerun()

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    def set(self, key: str, **value) -> None:
        """Set widget ``key``'s value as the browser would send it, e.g. ``set("x", double_value=1.0)``."""
        if key not in self.controls:
            raise MoveError(f"no widget with key {key!r} on the page")
        state = WidgetState(id=self.controls[key].id)
        for kind, content in value.items():
            if kind.endswith("_array_value"):
                getattr(state, kind).data[:] = content
            else:
                setattr(state, kind, content)
        self.states[key] = state

    async def rerun(self) -> Reply:
        started = time.perf_counter()
        await self.send()
        return await self._until_finished(started)

    async def send(self) -> None:
        message = BackMsg()
        client_state = message.rerun_script
        client_state.query_string = self.query
        client_state.page_script_hash = self.page_hash
        if not self.page_hash:
            client_state.page_name = self.page
        client_state.widget_states.widgets.extend(self.states.values())
        await self.socket.send(message.SerializeToString())

    async def listen(self, seconds: float, started: float, report_silence: bool = False):
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
        elif element_kind in ("markdown", "latex"):
            reply.texts.append(element.body)
        key = self._remember(getattr(element, "id", ""))
        if key is None:
            return
        if element_kind == "plotly_chart":
            reply.charts[key] = element.spec.encode()
        elif element_kind == "slider" and element.type == SELECT_SLIDER:
            self.controls[key].options, self.controls[key].kind = list(element.options), "string_array_value"
        elif element_kind == "slider":
            positions = range(round(element.min), round(element.max) + 1, max(1, round(element.step)))
            self.controls[key].options, self.controls[key].kind = [str(p) for p in positions], "double_array_value"

    def _remember(self, widget_id: str) -> str | None:
        """A keyed widget's id ends in ``-<key>``; remember it by its key."""
        if not widget_id.startswith("$$ID-"):
            return None
        key = widget_id.split("-", 2)[2]
        self.controls.setdefault(key, Control(widget_id)).id = widget_id
        return key


class Student(Session):
    """A session that moves one control and checks that each reply draws the new value.

    Subclasses name the page's ``chart`` key and say how to pick a value (``pick``) and send it
    (``apply``); the page shows the value in a text matching ``shown`` (its first group), or
    subclasses say otherwise (``drawn``).
    """

    chart = ""
    shown = re.compile("(?!)")

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.value: float = math.nan
        self.last_chart: bytes | None = None

    async def open(self) -> Reply:
        reply = await super().open()
        self._check(reply, "the first load")
        self.value = self.drawn(reply)
        if self.value is None:
            raise MoveError(f"the page shows no value for its control: {reply.texts}")
        return reply

    def pick(self, rng: random.Random) -> float:
        raise NotImplementedError

    def drag_values(self, rng: random.Random, length: int) -> list[float]:
        """``length`` values a drag passes through, the last one away from where it starts (ending where it
        began would leave the chart unchanged); the student's value is left as it was."""
        start, values = self.value, []
        while not values or values[-1] == start:
            self.value, values = start, []
            for _ in range(length):
                self.value = self.pick(rng)
                values.append(self.value)
        self.value = start
        return values

    def apply(self, value: float) -> None:
        raise NotImplementedError

    def drawn(self, reply: Reply) -> float | None:
        """The value the reply shows: its last text that says one (a reply to a drag also holds the
        texts of runs that a newer move interrupted)."""
        found = next((match for text in reversed(reply.texts) if (match := self.shown.search(text))), None)
        return float(found.group(1)) if found else None

    async def move(self, value: float) -> Reply:
        """Set the control to ``value``, wait for the page and check it."""
        self.value = value
        self.apply(value)
        reply = await self.rerun()
        self._check_move(reply)
        return reply

    async def moves_in_a_burst(self, values: list[float], gap_s: float = 0.1) -> Reply:
        """Send several moves ``gap_s`` apart without waiting, as a browser does while a student drags.

        Meanwhile it reads what arrives, as a browser does, so each move carries the newest query
        string the client has. The server may skip intermediate values, but once it falls quiet the
        page must show the last one.
        """
        started = time.perf_counter()
        self._partial, last = Reply(0.0, 0), None
        for value in values:
            self.value = value
            self.apply(value)
            await self.send()
            last = await self.listen(gap_s, started) or last
        while True:
            finished, heard = await self.listen(QUIET_S, started, report_silence=True)
            last = finished or last
            if last is not None and not heard:
                break
        self._check_move(last)
        return last

    def _check(self, reply: Reply, what: str) -> None:
        if reply.exceptions:
            raise MoveError(f"{what} raised: {reply.exceptions[0]}")
        if self.chart not in reply.charts:
            raise MoveError(f"{what} sent no {self.chart}")
        self.last_chart = reply.charts[self.chart]

    def _check_move(self, reply: Reply) -> None:
        previous = self.last_chart
        self._check(reply, f"moving to {self.value:g}")
        drawn = self.drawn(reply)
        if not _same(drawn, self.value):
            raise MoveError(f"moved to {self.value:g} last, but the page shows {drawn} (URL {self.query!r})")
        if reply.charts[self.chart] == previous:
            raise MoveError(f"moving to {self.value:g} sent the same {self.chart} again")


class SliderStudent(Student):
    """Moves a (select-)slider to a nearby position."""

    slider = ""

    def options(self) -> list[str]:
        options = self.controls[self.slider].options if self.slider in self.controls else []
        if not options:
            raise MoveError(f"the page shows no slider {self.slider!r}")
        return options

    def pick(self, rng: random.Random) -> float:
        """A position within NEARBY of the current one, never the current one (so the chart must change)."""
        values = [float(option) for option in self.options()]
        here = min(range(len(values)), key=lambda i: abs(values[i] - self.value))
        near = [i for i in range(here - NEARBY, here + NEARBY + 1) if 0 <= i < len(values) and i != here]
        return values[rng.choice(near)]

    def apply(self, value: float) -> None:
        options = self.options()
        label = min(options, key=lambda option: abs(float(option) - value))
        kind = self.controls[self.slider].kind
        self.set(self.slider, **{kind: [label] if kind == "string_array_value" else [float(label)]})


class PlaygroundStudent(SliderStudent):
    """The Playground's first run's learning rate, in its editor (opened once, as a student does)."""

    chart = "playground_chart"
    editor = "run0_open"

    async def open(self) -> Reply:
        await Session.open(self)
        self.set(self.editor, bool_value=True)
        reply = await self.rerun()
        self.slider = next((key for key in self.controls if key.startswith("run0_") and key.endswith("_lr")), "")
        self._check(reply, "opening the first run's editor")
        self.value = self.drawn(reply)
        if self.value is None:
            raise MoveError(f"the URL names no learning rate for the first run: {self.query!r}")
        return reply

    def drawn(self, reply: Reply) -> float | None:
        """The first run's learning rate in the URL the page wrote last, ``run=momentum:lr=0.01,...``
        (the default lr when left out)."""
        runs = parse_qs(self.query).get("run", [])
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


class SweepsStudent(Student):
    """Sets the Sweeps map's start x to a value of its own, so every move computes a new map."""

    page = "sweeps"
    chart = "sweeps_map_chart"
    control = "sweeps_x0"
    shown = re.compile(r"from \((-?[0-9.]+), ")  # "Each cell is one run of Adam from (-1.5, 2.0) for …"

    def pick(self, rng: random.Random) -> float:
        while (value := round(rng.uniform(-2.0, -1.0), 3)) == self.value:
            pass
        return value

    def apply(self, value: float) -> None:
        self.set(self.control, double_value=value)


class InsideAdamStudent(SliderStudent):
    page = "inside-adam"
    chart = "inside_adam_history_chart"
    slider = "inside_adam_t"
    shown = re.compile(r"m_\{(\d+)\} &=")  # the update's equations at step t: "m_{12} &= β₁ m_{11} …"


class EmaStudent(SliderStudent):
    page = "ema"
    chart = "ema_chart"
    slider = "ema_beta"
    shown = re.compile(r"v_\{\d+\} = ([0-9.]+) \\times")  # "v_{10} = 0.9 \times …"


def _same(value: float | None, expected: float) -> bool:
    return value is not None and math.isclose(value, expected, rel_tol=1e-9)
