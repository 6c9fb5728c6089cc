"""Typed text must never run: every hostile input is a quick, clear ValueError and nothing executes."""

import ast
import builtins
import time
from pathlib import Path

import pytest
import sympy
import sympy.parsing.sympy_parser

import landscapes
from landscapes import expression, expression_parser

NOT_ALLOWED = "not allowed at column"
# (hostile text, a fragment its error message must contain)
HOSTILE = [
    # attribute and dunder access
    ("().__class__", "not allowed at column 1: attribute access"),
    ("x.__class__", "not allowed at column 1: attribute access"),
    ("x.__class__.__bases__[0].__subclasses__()", "only the functions"),
    ("sin.__globals__", "attribute access"),
    ("(1).__add__(2)", "only the functions"),
    ("__builtins__", "unknown name '__builtins__' at column 1"),
    ("__debug__", "unknown name '__debug__'"),
    # imports and calls to builtins
    ("__import__('os')", "unknown function '__import__' at column 1"),
    ("__import__('os').system('ls')", "only the functions"),
    ("open('f')", "unknown function 'open'"),
    ("eval('1')", "unknown function 'eval'"),
    ("exec('import os')", "unknown function 'exec'"),
    ("compile('1', 'f', 'eval')", "unknown function 'compile'"),
    ("globals()", "unknown function 'globals'"),
    ("getattr(x, 'real')", "unknown function 'getattr'"),
    ("breakpoint()", "unknown function 'breakpoint'"),
    ("import os", "syntax error at column 1"),
    ("from os import system", "syntax error at column 1"),
    # code shapes that are not formulas
    ("lambda: 1", "not allowed at column 1: lambda"),
    ("(lambda x: x)(2)", "only the functions"),
    ("[x for x in (1, 2)]", "comprehensions"),
    ("{x for x in (1, 2)}", "comprehensions"),
    ("{x: 1 for x in (1, 2)}", "comprehensions"),
    ("sum(x for x in (1, 2))", "unknown function 'sum'"),
    ("x[0]", "subscripts"),
    ("sin(x)[0]", "subscripts"),
    ("f'{x}'", "f-strings"),
    ("(y := 2)", "assignment (:=)"),
    ("y = 2", "syntax error at column 3"),
    ("sin(x=1)", "sin() takes one positional argument, not a keyword argument"),
    ("sin(*x)", "starred arguments are not allowed"),
    ("sin(**x)", "sin() takes one positional argument"),
    ("sin(x, y)", "sin() takes exactly one argument, got 2"),
    ("sin()", "sin() takes exactly one argument, got 0"),
    ("sin", "'sin' at column 1 is a function"),
    ("x if y else 1", "conditional expressions"),
    ("x < y", "comparisons"),
    ("x == y", "comparisons"),
    ("x and y", "'and' / 'or'"),
    ("not x", "operator 'not'"),
    ("~x", "operator '~'"),
    ("x % 2", "operator '%'"),
    ("x // 2", "operator '//'"),
    ("x @ y", "operator '@'"),
    ("x << 2", "operator '<<'"),
    ("x | y", "operator '|'"),
    ("x, y", "tuples"),
    ("[x, y]", "lists"),
    ("{x, y}", "sets"),
    ("{'a': x}", "dicts"),
    ("'x'", "strings are not allowed"),
    ("b'x'", "strings are not allowed"),
    ("None", "None at column 1 is not allowed"),
    ("True + x", "True at column 1 is not allowed"),
    ("...", "Ellipsis at column 1 is not allowed"),
    ("1j * x", "complex numbers are not allowed"),
    ("(yield x)", "yield"),
    ("await x", NOT_ALLOWED),
    ("x; y", "syntax error at column 2"),
    ("x\nimport os", "line break at column 2"),
    ("x\r\n__import__('os')", "line break at column 2"),
    ("x\x00", "control character '\\x00' at column 2"),
    ("x + \x1b[2J", "control character '\\x1b' at column 5"),
    ("x + ｅｖａｌ('1')", "character 'ｅ' at column 5 is not allowed"),
    ("x + é", "character 'é' at column 5"),
    # names other than x and y
    ("z", "unknown name 'z' at column 1 — use x and y"),
    ("x + t", "unknown name 't' at column 5"),
    ("os", "unknown name 'os'"),
    ("X + Y", "unknown name 'X'"),
    ("inf * x", "unknown name 'inf'"),
    ("nan", "unknown name 'nan'"),
    ("Pi * x", "unknown name 'Pi'"),
    # sizes: exponents, constants, depth, length
    ("9**9**9", "the exponent 9**9 at column 4 is too large"),
    ("x**99999", "the exponent 99999 at column 4 is too large"),
    ("x^99999", "the exponent 99999 at column 3 is too large"),
    ("10**400", "the exponent 400 at column 5 is too large"),
    ("2**(0*x + 1000)", "the exponent 0*x + 1000 at column 5 is too large"),
    ("((x**10)**10)**10", "folds into the exponent 1000"),
    ("1e309", "the number 1e309 at column 1 is too large"),
    ("1e7 * x", "the number 1e7 at column 1 is too large"),
    ("-99999999999 + x", "the number 99999999999 at column 2 is too large"),
    ("999999**10 * 999999**10 * x", "the constant part '999999**10 * 999999**10' at column 1 exceeds 1e+100"),
    ("exp(exp(exp(10))) + x", "the constant part 'exp(exp(10))' at column 5 is infinite"),
    ("1/0 + x", "division by zero at column 3"),
    ("x/(y - y)", "division by zero at column 4"),
    ("sqrt(-1) + x", "the constant part 'sqrt(-1)' at column 1 is not a real number"),
    ("tan(pi/2) * x", "'tan(pi/2)' at column 1 is not a finite real number"),
    ("(" * 200 + "x" + ")" * 200, "the expression is too long (401 characters; at most 300)"),
    ("-(" * 100 + "x" + ")" * 100, "the expression is too long"),
    ("-" * 150 + "x", "nested too deeply (more than 40 levels)"),
    ("sin(" * 50 + "x" + ")" * 50, "nested too deeply (more than 40 levels) at column 161"),
    ("+".join(["x"] * 140), "the expression is too large (279 parts; at most 200)"),
    ("x + " * 100 + "x", "the expression is too long"),
    ("", "the expression is empty"),
    ("   ", "the expression is empty"),
]


def test_the_corpus_is_large():
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize(("text", "fragment"), HOSTILE, ids=[repr(t)[:40] for t, _ in HOSTILE])
def test_hostile_text_is_a_clear_value_error(text, fragment):
    started = time.perf_counter()
    with pytest.raises(ValueError) as error:
        landscapes.from_expression(text)
    elapsed = time.perf_counter() - started
    assert fragment in str(error.value)
    # A generous guard for a safety property (no work grows with the input), not a benchmark.
    assert elapsed < 1.0


@pytest.mark.parametrize("text", [1, None, b"x + y", ["x"]])
def test_text_that_is_not_a_string_is_refused(text):
    with pytest.raises(ValueError, match="the expression must be text"):
        landscapes.from_expression(text)


def test_no_code_runs(tmp_path, monkeypatch):
    """Inputs that would leave a trace if anything evaluated them leave none."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "pwned"
    attacks = [
        f"__import__('pathlib').Path('{target}').touch()",
        "open('pwned', 'w').write('1')",
        "setattr(__import__('builtins'), 'pwned', 1)",
        "globals().update(pwned=1)",
        "[__import__('pathlib').Path('pwned').touch() for _ in (1,)]",
        "(lambda: __import__('pathlib').Path('pwned').touch())()",
        "x + __import__('pathlib').Path('pwned').touch()",
    ]
    for attack in attacks:
        with pytest.raises(ValueError):
            landscapes.from_expression(attack)
    assert not target.exists()
    assert not hasattr(builtins, "pwned")
    assert "pwned" not in globals()
    assert list(tmp_path.iterdir()) == []


def test_nothing_evaluates_text(monkeypatch):
    """eval, sympify and parse_expr are never called; exec only runs imports and lambdify's own code."""
    landscapes.from_expression("abs(x) + y**2")  # first use imports numpy and sympy modules lazily
    calls = []
    real_exec = builtins.exec

    def refuse(name):
        def spy(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called")

        return spy

    def watched_exec(source, *args, **kwargs):
        calls.append(source)
        return real_exec(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse("eval"))
    monkeypatch.setattr(builtins, "exec", watched_exec)
    monkeypatch.setattr(sympy, "sympify", refuse("sympify"))
    monkeypatch.setattr(sympy, "parse_expr", refuse("parse_expr"))
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse("parse_expr"))
    land = landscapes.from_expression("abs(x - 0.271828) + sin(y)**2 / 3")
    assert land.f([0.271828, 0.0]) == 0.0
    for source in calls:
        assert not isinstance(source, str), source
        generated = source.co_filename.startswith("<lambdifygenerated-")
        assert generated or Path(source.co_filename).is_file(), source.co_filename
    assert sum(s.co_filename.startswith("<lambdifygenerated-") for s in calls) == 2


@pytest.mark.parametrize("module", [expression, expression_parser])
def test_the_modules_never_name_an_evaluator(module):
    tree = ast.parse(Path(module.__file__).read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not names & {"eval", "exec", "compile", "sympify", "parse_expr", "S", "__import__", "literal_eval"}
