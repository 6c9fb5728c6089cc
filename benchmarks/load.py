"""A class at once: simulated students moving a Playground slider, against one process and two replicas.

Each student (benchmarks/student.py) speaks Streamlit's websocket protocol: it loads the Playground,
opens the first run's editor, then moves that run's learning-rate slider to a nearby value, waits
for the page to come back with the changed chart, thinks for 0.5–1 s and moves again. At the end of
a level every student sends three moves in a burst, as an impatient student does: the page must end
drawn with the last one. Levels of 1, 5, 10, 20 and 40 students run against `streamlit run app.py`
alone and against two replicas behind deploy/nginx.conf (deploy/local.py starts them, with the
repository's .streamlit/config.toml).

Per level: moves, errors (an exception, a wrong or unchanged chart, a URL without the new value, a
timeout), how many students' bursts ended drawn with their last value, latency from sending a move
to the end of its rerun (p50/p95/max), server CPU per move
(user + system time of the Streamlit processes over the level, divided by the moves), bytes per
move, memory (RSS) before and after, and nginx's CPU.

    python benchmarks/load.py                  # both targets, all levels, 20 s each (about 6 minutes)
    python benchmarks/load.py --quick          # 1 and 5 students, 8 s each
    python benchmarks/load.py --compare runner.postScriptGC=true --levels 1 5 --rounds 3
        # one process as configured against one with the option changed, interleaved in rounds
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from student import MoveError, Student  # noqa: E402

from deploy import local  # noqa: E402

MOVE_TIMEOUT_S = 60
THINK_S = (0.5, 1.0)
BURST = 3
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class LevelResult:
    students: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    bursts_missed: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0
    nginx_cpu_s: float = 0.0
    memory_before_mb: float = 0.0
    memory_after_mb: float = 0.0

    @property
    def moves(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")

    @property
    def cpu_ms_per_move(self) -> float:
        return 1000 * self.server_cpu_s / self.moves if self.moves else float("nan")

    def row(self) -> str:
        worst = max(self.latencies, default=float("nan"))
        return (f"| {self.students} | {self.moves} | {self.moves / self.seconds:.1f}/s "
                f"| {1000 * self.percentile(0.5):.0f} ms | {1000 * self.percentile(0.95):.0f} ms "
                f"| {1000 * worst:.0f} ms "
                f"| {len(self.errors)} | {self.students - len(self.bursts_missed)}/{self.students} "
                f"| {self.cpu_ms_per_move:.0f} ms "
                f"| {self.server_cpu_s / self.seconds:.2f} | {self.nginx_cpu_s / self.seconds:.2f} "
                f"| {self.bytes / max(self.moves, 1) / 1000:.0f} kB "
                f"| {self.memory_before_mb:.0f} → {self.memory_after_mb:.0f} MB |")


HEADER = ("| students | moves | moves/s | p50 | p95 | max | errors | last value drawn | server CPU/move "
          "| server cores | nginx cores | bytes/move | memory (RSS, all replicas) |\n" + "|---" * 13 + "|")


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


async def open_student(url: str, errors: list[str]) -> Student | None:
    student = Student(url)
    try:
        await asyncio.wait_for(student.open(), MOVE_TIMEOUT_S * 2)
        return student
    except (MoveError, OSError, TimeoutError, ConnectionError) as error:
        errors.append(f"opening: {type(error).__name__}: {error}")
        await student.close()
        return None


def next_index(student: Student, rng: random.Random) -> int:
    """A nearby slider position, never the current one (so the chart must change)."""
    last = len(student.lr_options) - 1
    choices = [i for i in range(student.lr_index - 3, student.lr_index + 4) if 0 <= i <= last and i != student.lr_index]
    return rng.choice(choices)


async def keep_moving(student: Student, until: float, result: LevelResult, rng: random.Random) -> None:
    while time.monotonic() < until:
        try:
            reply = await asyncio.wait_for(student.move(next_index(student, rng)), MOVE_TIMEOUT_S)
        except (MoveError, TimeoutError, ConnectionError, OSError) as error:
            result.errors.append(f"{type(error).__name__}: {error}")
            return
        result.latencies.append(reply.seconds)
        result.bytes += reply.bytes
        await asyncio.sleep(rng.uniform(*THINK_S))


async def burst(student: Student, result: LevelResult, rng: random.Random) -> None:
    start, indices = student.lr_index, []
    while not indices or indices[-1] == start:  # ending where it began would leave the chart unchanged
        student.lr_index, indices = start, []
        for _ in range(BURST):
            student.lr_index = next_index(student, rng)
            indices.append(student.lr_index)
    try:
        await asyncio.wait_for(student.moves_in_a_burst(indices), MOVE_TIMEOUT_S)
    except (MoveError, TimeoutError, ConnectionError, OSError) as error:
        result.bursts_missed.append(f"{type(error).__name__}: {error}")


async def run_level(url: str, students: int, seconds: float, server_pids: Sequence[int], nginx_pid: int | None,
                    seed: int) -> LevelResult:
    result = LevelResult(students)
    opened = await asyncio.gather(*(open_student(url, result.errors) for _ in range(students)))
    class_ = [s for s in opened if s is not None]
    nginx_pids = process_tree(nginx_pid) if nginx_pid else []
    result.memory_before_mb = rss_mb(server_pids)
    cpu_before, nginx_before = cpu_seconds(server_pids), cpu_seconds(nginx_pids)
    started = time.monotonic()
    await asyncio.gather(*(keep_moving(s, started + seconds, result, random.Random(seed + i))
                           for i, s in enumerate(class_)))
    result.seconds = time.monotonic() - started
    result.server_cpu_s = cpu_seconds(server_pids) - cpu_before
    result.nginx_cpu_s = cpu_seconds(nginx_pids) - nginx_before
    await asyncio.gather(*(burst(s, result, random.Random(seed - i)) for i, s in enumerate(class_)))
    result.memory_after_mb = rss_mb(server_pids)
    await asyncio.gather(*(s.close() for s in class_))
    return result


def report(title: str, results: list[LevelResult]) -> None:
    print(f"\n### {title}\n\n{HEADER}")
    for result in results:
        print(result.row())
    for result in results:
        for error in result.errors[:3]:
            print(f"  {result.students} students, error: {error}")
        for missed in result.bursts_missed[:2]:
            print(f"  {result.students} students, last value not drawn: {missed}")


def measure_targets(args: argparse.Namespace, log_dir: Path) -> None:
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
                results.append(asyncio.run(run_level(url, level, args.seconds, server_pids, nginx_pid, args.seed)))
                print(results[-1].row(), flush=True)
            report(targets[target], results)
            logs = sorted((log_dir / target).glob("*.log"))
            tracebacks = sum(log.read_text().count("Traceback") for log in logs)
            print(f"tracebacks in the server logs ({', '.join(str(log) for log in logs)}): {tracebacks}")


def compare(args: argparse.Namespace, log_dir: Path) -> None:
    """One process as configured against one with ``args.compare`` set, levels interleaved in rounds."""
    name, value = args.compare.split("=", 1)
    with ExitStack() as stack:
        (baseline,) = stack.enter_context(local.replicas(1, log_dir / "baseline"))
        (variant,) = stack.enter_context(local.replicas(1, log_dir / "variant", [f"--{name}", value]))
        servers = {"as configured": baseline, args.compare: variant}
        samples: dict[tuple[str, int], list[LevelResult]] = {}
        for round_ in range(args.rounds):
            order = list(servers.items()) if round_ % 2 == 0 else list(servers.items())[::-1]
            for level in args.levels:
                for label, server in order:
                    result = asyncio.run(run_level(server.url, level, args.seconds, [server.process.pid], None,
                                                   args.seed + round_))
                    samples.setdefault((label, level), []).append(result)
                    print(f"round {round_ + 1}, {label}: {result.row()}", flush=True)
    print(f"\n| students | server | CPU/move (median of {args.rounds}) | p50 | p95 | errors |\n" + "|---" * 6 + "|")
    for level in args.levels:
        base = statistics.median(r.cpu_ms_per_move for r in samples[("as configured", level)])
        for label in servers:
            runs = samples[(label, level)]
            cpu = statistics.median(r.cpu_ms_per_move for r in runs)
            print(f"| {level} | {label} | {cpu:.0f} ms ({cpu / base:.2f}×) "
                  f"| {1000 * statistics.median(r.percentile(0.5) for r in runs):.0f} ms "
                  f"| {1000 * statistics.median(r.percentile(0.95) for r in runs):.0f} ms "
                  f"| {sum(len(r.errors) for r in runs)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 and 5 students, 8 s each")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 5, 10, 20, 40])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each level moves sliders")
    parser.add_argument("--targets", nargs="+", choices=["one", "nginx"], default=["one", "nginx"])
    parser.add_argument("--compare", metavar="SECTION.OPTION=VALUE",
                        help="compare one process as configured with one where this Streamlit option is set")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds for --compare")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        args.levels, args.seconds = [1, 5], 8.0
    log_dir = Path(tempfile.mkdtemp(prefix="playground-load-"))
    print(f"server logs in {log_dir}", flush=True)
    if args.compare:
        compare(args, log_dir)
    else:
        measure_targets(args, log_dir)


if __name__ == "__main__":
    main()
