"""More students than one server keeps up with: every drag still ends drawn with its last value.

Simulated students (benchmarks/student.py, Streamlit's websocket protocol, checked replies) each
drag the first run's learning rate: three moves 0.1 s apart, all at once, so one `streamlit run`
process gets about 24 reruns in a third of a second and interrupts most of them. Intermediate
values may be skipped; once the server falls quiet, each page must show its student's last value
(a stale URL taken for a new link once reset such a view to an earlier value).
"""

from __future__ import annotations

import asyncio
import random
import sys
from concurrent.futures import ThreadPoolExecutor

from deploy import local

from .harness import ARTIFACTS_DIR

sys.path.insert(0, str(local.REPO_ROOT / "benchmarks"))
from student import MoveError, PlaygroundStudent

STUDENTS = 8
BURST = 3


async def drag(student: PlaygroundStudent, rng: random.Random) -> str | None:
    """One student's drag; what went wrong, or None when its page ends on its last value."""
    try:
        await asyncio.wait_for(student.moves_in_a_burst(student.drag_values(rng, BURST)), 120)
        return None
    except (MoveError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"


async def class_drags(url: str) -> list[str | None]:
    students = [PlaygroundStudent(url) for _ in range(STUDENTS)]
    try:
        for student in students:  # one by one: opening is not what is tested
            await asyncio.wait_for(student.open(), 120)
        return await asyncio.gather(*(drag(student, random.Random(seed)) for seed, student in enumerate(students)))
    finally:
        await asyncio.gather(*(student.close() for student in students))


def test_every_drag_ends_on_its_last_value_when_the_server_is_behind():
    with local.replicas(1, ARTIFACTS_DIR / "crowd") as (server,):
        # In a thread of its own: once a browser test has run, Playwright's sync API keeps an event loop
        # running in this one, and asyncio.run refuses to start another there.
        with ThreadPoolExecutor(1) as thread:
            outcomes = thread.submit(asyncio.run, class_drags(server.url)).result()
        assert "Traceback" not in server.log.read_text()
    assert [outcome for outcome in outcomes if outcome] == []
