"""A class at once: simulated students moving sliders, against one process and two replicas behind nginx.

Each student (benchmarks/student.py) speaks Streamlit's websocket protocol. A Playground student
loads the Playground, opens the first run's editor, then moves that run's learning-rate slider to
a nearby value, waits for the page to come back with the changed chart, thinks for 0.5–1 s and
moves again. A share of the class (``--sweeps-share``, one in ten by default) are Sweeps students:
each move sets the map's start to a value of its own, so the server computes a new 50 × 50 map
(2,500 Adam runs × 1,000 steps) every time; they look at each map for 3–6 s. At the end of a
level every student sends three moves in a burst, as an impatient student drags: the page must end
drawn with the last one (the run exits with status 1 if any did not). Levels of 1, 5, 10, 20 and
40 students run against `streamlit run app.py` alone and against two replicas behind
deploy/nginx.conf (deploy/local.py starts them, with the repository's .streamlit/config.toml).

Per level: moves, errors (an exception, a wrong or unchanged chart, a URL without the new value, a
timeout), how many students' bursts ended drawn with their last value, latency from sending a move
to the end of its rerun (p50/p95/max, Playground moves and Sweeps maps apart), server CPU per move
(user + system time of the Streamlit processes over the level, divided by all moves), bytes per
move, memory (RSS) before and after, nginx's CPU, this client's own CPU (the simulated students:
if they used a whole core, they would be what limits the level), and how busy the machine was: its load
average and CPU pressure (the share of time some task waited for a CPU, from /proc/pressure/cpu).

    python benchmarks/load.py                  # both targets, all levels, 20 s each (about 8 minutes)
    python benchmarks/load.py --quick          # 1 and 5 students, 8 s each
    python benchmarks/load.py --against HEAD~3 --levels 1 5 --rounds 3 --sweeps-share 0
        # one process of the working tree against one of an older revision, interleaved in rounds
    python benchmarks/load.py --compare server.enableWebsocketCompression=true --levels 1 5
        # one process as configured against one with a Streamlit option changed
    python benchmarks/load.py --page inside-adam --levels 1 --targets one
        # every student moves another page's main control (ema, inside-adam, sweeps)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from student import EmaStudent, InsideAdamStudent, MoveError, PlaygroundStudent, Student, SweepsStudent  # noqa: E402

from deploy import local  # noqa: E402

MOVE_TIMEOUT_S = 60
THINK_S = {PlaygroundStudent: (0.5, 1.0), SweepsStudent: (3.0, 6.0)}
BURST = 3
TICKS = os.sysconf("SC_CLK_TCK")
PAGES = {"playground": PlaygroundStudent, "sweeps": SweepsStudent, "inside-adam": InsideAdamStudent,
         "ema": EmaStudent}


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class LevelResult:
    students: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # the main page's moves (the Playground's by default)
    map_latencies: list[float] = field(default_factory=list)  # Sweeps students' moves, each a new map
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    bursts_missed: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0
    nginx_cpu_s: float = 0.0
    client_cpu_s: float = 0.0  # this process, the simulated students: if it were saturated, it would be the bound
    memory_before_mb: float = 0.0
    memory_after_mb: float = 0.0
    machine: str = ""  # how busy the machine was (other work included), at the end of the level

    @property
    def moves(self) -> int:
        return len(self.latencies) + len(self.map_latencies)

    def percentile(self, q: float) -> float:
        return percentile(self.latencies, q)

    @property
    def cpu_ms_per_move(self) -> float:
        return 1000 * self.server_cpu_s / self.moves if self.moves else float("nan")

    def row(self) -> str:
        worst = max(self.latencies, default=float("nan"))
        maps = (f"{len(self.map_latencies)}: {1000 * percentile(self.map_latencies, 0.5):.0f} / "
                f"{1000 * percentile(self.map_latencies, 0.95):.0f} ms" if self.map_latencies else "–")
        return (f"| {self.students} | {self.moves} | {self.moves / self.seconds:.1f}/s "
                f"| {1000 * self.percentile(0.5):.0f} ms | {1000 * self.percentile(0.95):.0f} ms "
                f"| {1000 * worst:.0f} ms | {maps} "
                f"| {len(self.errors)} | {self.students - len(self.bursts_missed)}/{self.students} "
                f"| {self.cpu_ms_per_move:.0f} ms "
                f"| {self.server_cpu_s / self.seconds:.2f} | {self.nginx_cpu_s / self.seconds:.2f} "
                f"| {self.client_cpu_s / self.seconds:.2f} "
                f"| {self.bytes / max(self.moves, 1) / 1000:.0f} kB "
                f"| {self.memory_before_mb:.0f} → {self.memory_after_mb:.0f} MB | {self.machine} |")


HEADER = ("| students | moves | moves/s | p50 | p95 | max | Sweeps maps: n, p50 / p95 | errors | last value drawn "
          "| server CPU/move | server cores | nginx cores | client cores | bytes/move | memory (RSS, all replicas) "
          "| machine: load average, CPU pressure |\n" + "|---" * 16 + "|")


def machine_load() -> str:
    """The 1-minute load average and the share of the last 10 s some task waited for a CPU (Linux PSI)."""
    load = Path("/proc/loadavg").read_text().split()[0]
    pressure = Path("/proc/pressure/cpu")
    waiting = pressure.read_text().split()[1].split("=")[1] + " %" if pressure.exists() else "n/a"
    return f"{load}, {waiting}"


def process_tree(pid: int) -> list[int]:
    """``pid`` and its children (nginx's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    if children.exists():
        for child in children.read_text().split():
            found += process_tree(int(child))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def rss_mb(pids: Sequence[int]) -> float:
    total_kb = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


async def open_student(kind: type[Student], url: str, errors: list[str]) -> Student | None:
    student = kind(url)
    try:
        await asyncio.wait_for(student.open(), MOVE_TIMEOUT_S * 2)
        return student
    except (MoveError, OSError, TimeoutError, ConnectionError) as error:
        errors.append(f"opening {kind.__name__}: {type(error).__name__}: {error}")
        await student.close()
        return None


def class_of(students: int, main: type[Student], sweeps_share: float) -> list[type[Student]]:
    """Who the students are: ``sweeps_share`` of them (rounded half up) Sweeps students, the others ``main``."""
    sweeps = int(students * sweeps_share + 0.5) if main is PlaygroundStudent else 0
    return [SweepsStudent] * sweeps + [main] * (students - sweeps)


async def keep_moving(student: Student, until: float, result: LevelResult, latencies: list[float],
                      rng: random.Random) -> None:
    think = THINK_S.get(type(student), THINK_S[PlaygroundStudent])
    while time.monotonic() < until:
        try:
            reply = await asyncio.wait_for(student.move(student.pick(rng)), MOVE_TIMEOUT_S)
        except (MoveError, TimeoutError, ConnectionError, OSError) as error:
            result.errors.append(f"{type(student).__name__}: {type(error).__name__}: {error}")
            return
        latencies.append(reply.seconds)
        result.bytes += reply.bytes
        await asyncio.sleep(rng.uniform(*think))


async def burst(student: Student, result: LevelResult, rng: random.Random) -> None:
    try:
        await asyncio.wait_for(student.moves_in_a_burst(student.drag_values(rng, BURST)), MOVE_TIMEOUT_S)
    except (MoveError, TimeoutError, ConnectionError, OSError) as error:
        result.bursts_missed.append(f"{type(student).__name__}: {type(error).__name__}: {error}")


async def run_level(url: str, students: int, seconds: float, server_pids: Sequence[int], nginx_pid: int | None,
                    seed: int, sweeps_share: float = 0.0, main: type[Student] = PlaygroundStudent) -> LevelResult:
    result = LevelResult(students)
    kinds = class_of(students, main, sweeps_share)
    opened = await asyncio.gather(*(open_student(kind, url, result.errors) for kind in kinds))
    class_ = [s for s in opened if s is not None]
    nginx_pids = process_tree(nginx_pid) if nginx_pid else []
    result.memory_before_mb = rss_mb(server_pids)
    cpu_before, nginx_before = cpu_seconds(server_pids), cpu_seconds(nginx_pids)
    client_before = time.process_time()
    started = time.monotonic()
    await asyncio.gather(*(keep_moving(s, started + seconds, result, result.latencies if type(s) is main
                                       else result.map_latencies, random.Random(seed + i))
                           for i, s in enumerate(class_)))
    result.seconds = time.monotonic() - started
    result.server_cpu_s = cpu_seconds(server_pids) - cpu_before
    result.nginx_cpu_s = cpu_seconds(nginx_pids) - nginx_before
    result.client_cpu_s = time.process_time() - client_before
    result.machine = machine_load()
    await asyncio.gather(*(burst(s, result, random.Random(seed - i)) for i, s in enumerate(class_)))
    result.memory_after_mb = rss_mb(server_pids)
    await asyncio.gather(*(s.close() for s in class_))
    return result


def report(title: str, results: list[LevelResult]) -> None:
    print(f"\n### {title}\n\n{HEADER}")
    for result in results:
        print(result.row())


def measure_targets(args: argparse.Namespace, log_dir: Path) -> list[LevelResult]:
    everything = []
    targets = {"one": "one process", "nginx": "two replicas behind nginx"}
    for target in args.targets:
        with ExitStack() as stack:
            if target == "one":
                (server,) = stack.enter_context(local.replicas(1, log_dir / target))
                url, server_pids, nginx_pid = server.url, [server.process.pid], None
            else:
                front, servers = stack.enter_context(local.cluster(2, log_dir / target))
                url, server_pids, nginx_pid = front.url, [s.process.pid for s in servers], front.process.pid
            results = []
            for level in args.levels:
                results.append(asyncio.run(run_level(url, level, args.seconds, server_pids, nginx_pid, args.seed,
                                                     args.sweeps_share, PAGES[args.page])))
                print(results[-1].row(), flush=True)
            report(f"{targets[target]}, {args.page}", results)
            everything += results
            logs = sorted((log_dir / target).glob("*.log"))
            tracebacks = sum(log.read_text().count("Traceback") for log in logs)
            print(f"tracebacks in the server logs ({', '.join(str(log) for log in logs)}): {tracebacks}")
    return everything


@contextmanager
def revision(rev: str) -> Iterator[Path]:
    """The files of git revision ``rev`` in a temporary folder (``git archive``; no worktree is registered)."""
    with tempfile.TemporaryDirectory(prefix="playground-rev-") as folder:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def compare(args: argparse.Namespace, log_dir: Path) -> list[LevelResult]:
    """One process as configured against a variant (a Streamlit option set, or another git revision),
    levels interleaved in rounds so both see the same machine load."""
    with ExitStack() as stack:
        (baseline,) = stack.enter_context(local.replicas(1, log_dir / "baseline"))
        if args.against:
            label = f"revision {args.against}"
            root = stack.enter_context(revision(args.against))
            (variant,) = stack.enter_context(local.replicas(1, log_dir / "variant", root=root))
        else:
            name, value = args.compare.split("=", 1)
            label = args.compare
            (variant,) = stack.enter_context(local.replicas(1, log_dir / "variant", [f"--{name}", value]))
        servers = {"as configured": baseline, label: variant}
        samples: dict[tuple[str, int], list[LevelResult]] = {}
        for round_ in range(args.rounds):
            order = list(servers.items()) if round_ % 2 == 0 else list(servers.items())[::-1]
            for level in args.levels:
                for name, server in order:
                    result = asyncio.run(run_level(server.url, level, args.seconds, [server.process.pid], None,
                                                   args.seed + round_, args.sweeps_share, PAGES[args.page]))
                    samples.setdefault((name, level), []).append(result)
                    print(f"round {round_ + 1}, {name}: {result.row()}", flush=True)
    print(f"\n| students | server | CPU/move (median of {args.rounds}) | p50 | p95 | errors |\n" + "|---" * 6 + "|")
    for level in args.levels:
        base = statistics.median(r.cpu_ms_per_move for r in samples[("as configured", level)])
        for name in servers:
            runs = samples[(name, level)]
            cpu = statistics.median(r.cpu_ms_per_move for r in runs)
            print(f"| {level} | {name} | {cpu:.0f} ms ({cpu / base:.2f}×) "
                  f"| {1000 * statistics.median(r.percentile(0.5) for r in runs):.0f} ms "
                  f"| {1000 * statistics.median(r.percentile(0.95) for r in runs):.0f} ms "
                  f"| {sum(len(r.errors) for r in runs)} |")
    return [result for results in samples.values() for result in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 5 students, 8 s each")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 5, 10, 20, 40])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each level moves sliders")
    parser.add_argument("--targets", nargs="+", choices=["one", "nginx"], default=["one", "nginx"])
    parser.add_argument("--compare", metavar="SECTION.OPTION=VALUE",
                        help="compare one process as configured with one where this Streamlit option is set")
    parser.add_argument("--against", metavar="GIT_REVISION",
                        help="compare one process of the working tree with one of this revision (e.g. HEAD~3)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds for --compare and --against")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page", choices=list(PAGES), default="playground",
                        help="the page whose main control the students move")
    parser.add_argument("--sweeps-share", type=float, default=0.1,
                        help="with --page playground: the share of students computing Sweeps maps")
    args = parser.parse_args()
    if args.quick:
        args.levels, args.seconds = [1, 5], 8.0
    log_dir = Path(tempfile.mkdtemp(prefix="playground-load-"))
    print(f"server logs in {log_dir}", flush=True)
    results = compare(args, log_dir) if args.compare or args.against else measure_targets(args, log_dir)
    missed = sum(len(result.bursts_missed) for result in results)
    errors = sum(len(result.errors) for result in results)
    for result in results:
        for problem in [*result.errors, *result.bursts_missed][:3]:
            print(f"  {result.students} students: {problem}")
    print(f"\n{errors} errors; {missed} bursts did not end drawn with their last value", flush=True)
    sys.exit(1 if missed or errors else 0)


if __name__ == "__main__":
    main()
