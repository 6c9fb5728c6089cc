"""sympy stays unimported until someone types a function: every page's default view runs without it.

Once imported, sympy's ~35k objects add to the full garbage collection Streamlit runs after every
rerun (see landscapes/__init__.py), so importing it eagerly costs every student on every slider move.
"""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

RUN_PAGES = """
import sys
from pathlib import Path
from streamlit.testing.v1 import AppTest

at = AppTest.from_file("app.py", default_timeout=120).run()
for page in sorted(Path("app_pages").glob("*.py")):
    at.switch_page(str(page)).run()
    assert not at.exception, (page, at.exception)
    print(page.stem, "sympy" in sys.modules)
import landscapes
landscapes.from_expression("abs(x) + y^2")
print("typed", "sympy" in sys.modules)
"""


def test_pages_run_without_sympy_until_a_function_is_typed():
    result = subprocess.run([sys.executable, "-c", RUN_PAGES], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=600, check=True)
    imported = dict(line.split() for line in result.stdout.splitlines())
    assert imported.pop("typed") == "True"
    assert len(imported) >= 7
    assert all(flag == "False" for flag in imported.values()), imported
