"""Run a benchmark's torch part where torch is: here if importable, else in ``$TORCH_PYTHON``.

torch is not a project dependency; on this machine it lives in its own venv
(default /work/torchvenv/bin/python). The benchmark script is re-run there with its own
``--torch-only`` flag and prints its timings as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

TORCH_PYTHON = os.environ.get("TORCH_PYTHON", "/work/torchvenv/bin/python")


def measure_torch(measure_here: Callable[[], Any], script: str, arguments: list[str]) -> Any:
    """``measure_here()`` if torch imports here, else ``script --torch-only *arguments`` in TORCH_PYTHON.

    Returns the timings, or a sentence saying why torch could not be measured.
    """
    try:
        return measure_here()
    except ImportError:
        pass
    if not Path(TORCH_PYTHON).exists():
        return f"torch not importable here and no {TORCH_PYTHON} (set TORCH_PYTHON)"
    done = subprocess.run([TORCH_PYTHON, script, "--torch-only", *arguments], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return f"torch not importable ({TORCH_PYTHON}: {done.stderr.strip().splitlines()[-1]})"
    return json.loads(done.stdout)
