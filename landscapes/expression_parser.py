"""Turn typed text in x and y into a sympy expression without ever evaluating the text.

The text is parsed by :mod:`ast` and the tree is walked against a small grammar: numbers,
``x``, ``y``, ``pi``, ``e``, ``+ - * / **`` (``^`` too), unary ``±`` and a few one-argument
functions. Each accepted node is rebuilt as sympy from sympy constructors; nothing else is
reachable. Limits on length, size, depth, numbers and exponents keep sympy's exact arithmetic
small. Every rejection is a ``ValueError`` naming the problem and its 1-based column.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

MAX_LENGTH = 300
MAX_NODES = 200
MAX_DEPTH = 40
MAX_NUMBER = 1e6
MAX_EXPONENT = 10
# A constant part computed from allowed numbers (e.g. 1000**10) may exceed MAX_NUMBER, not this.
MAX_CONSTANT = 1e100
# sympy folds (x**10)**10 into x**100; folding further is refused.
MAX_FOLDED_EXPONENT = 100

X = sp.Symbol("x", real=True)
Y = sp.Symbol("y", real=True)
VARIABLES = {"x": X, "y": Y}
CONSTANTS = {"pi": (sp.pi, math.pi), "e": (sp.E, math.e)}
# name -> (sympy function, float64 twin used to size constant parts before sympy sees them)
FUNCTIONS = {
    "sin": (sp.sin, np.sin),
    "cos": (sp.cos, np.cos),
    "tan": (sp.tan, np.tan),
    "exp": (sp.exp, np.exp),
    "log": (sp.log, np.log),
    "sqrt": (sp.sqrt, np.sqrt),
    "abs": (sp.Abs, np.abs),
    "tanh": (sp.tanh, np.tanh),
    "sinh": (sp.sinh, np.sinh),
    "cosh": (sp.cosh, np.cosh),
    "arctan": (sp.atan, np.arctan),
    "atan": (sp.atan, np.arctan),
}
FUNCTION_LIST = ", ".join(FUNCTIONS)
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
REFUSED_OPERATORS = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.Not: "not", ast.Invert: "~",
}
REFUSED_NODES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts (a[i])",
    ast.Lambda: "lambda",
    ast.IfExp: "conditional expressions (a if c else b)",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and' / 'or'",
    ast.NamedExpr: "assignment (:=)",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Tuple: "tuples (a comma outside a function call)",
    ast.List: "lists",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "starred arguments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}
UNDEFINED = (sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I)


@dataclass(frozen=True)
class Term:
    """A parsed piece: its sympy form and, when it does not depend on x or y, its float64 value."""

    expr: sp.Expr
    value: float | None = None


class _Source:
    """The text as typed and as parsed (``^`` became ``**``), with columns mapped back."""

    def __init__(self, text: str):
        self.typed = text
        # Python would read leading blanks as an indent.
        lead = len(text) - len(text.lstrip())
        self.parsed = text[lead:].replace("^", "**")
        self._origin = [i for i, ch in enumerate(text) if i >= lead for _ in range(2 if ch == "^" else 1)]
        self._origin.append(len(text))

    def column(self, parsed_offset: int) -> int:
        """1-based column in the typed text of a 0-based offset in the parsed text."""
        return self._origin[min(max(parsed_offset, 0), len(self._origin) - 1)] + 1

    def at(self, node: ast.AST) -> str:
        return f"at column {self.column(node.col_offset)}"

    def segment(self, node: ast.AST) -> str:
        start = self._origin[node.col_offset]
        return self.typed[start:self._origin[node.end_col_offset - 1] + 1]


def parse(text: str) -> sp.Expr:
    """The sympy expression for ``text``; a ``ValueError`` saying what is wrong and where otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"the expression must be text, got {type(text).__name__}")
    _check_characters(text)
    source = _Source(text)
    try:
        tree = ast.parse(source.parsed, mode="eval")
    except SyntaxError as error:
        raise ValueError(_syntax_message(error, source)) from None
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ValueError(f"the expression is too large ({nodes} parts; at most {MAX_NODES})")
    try:
        return _Builder(source).build(tree.body, 1).expr
    except ValueError:
        raise
    except Exception as error:  # sympy can raise almost anything on odd input; report, never trace back
        raise ValueError(f"could not build the expression: {type(error).__name__}: {error}") from None


def _check_characters(text: str) -> None:
    if not text.strip():
        raise ValueError("the expression is empty — type a formula in x and y, e.g. x**2 + y**2")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the expression is too long ({len(text)} characters; at most {MAX_LENGTH})")
    for i, ch in enumerate(text):
        if ch in "\n\r":
            raise ValueError(f"line break at column {i + 1} — write the expression on one line")
        if not ch.isascii():
            raise ValueError(f"character {ch!r} at column {i + 1} is not allowed — use plain ASCII (pi, *, -, **)")
        if not ch.isprintable() and ch != "\t":
            raise ValueError(f"control character {ch!r} at column {i + 1} is not allowed")


def _syntax_message(error: SyntaxError, source: _Source) -> str:
    reason = (error.msg or "invalid syntax").split(". Perhaps")[0]
    if reason == "invalid decimal literal":
        reason = "a number runs into a name — write 2*x, not 2x"
    column = source.column((error.offset or 1) - 1)
    return f"syntax error at column {column}: {reason}"


class _Builder:
    def __init__(self, source: _Source):
        self.source = source

    def build(self, node: ast.AST, depth: int) -> Term:
        if depth > MAX_DEPTH:
            raise ValueError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels) "
                             f"{self.source.at(node)}")
        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self._binary(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        what = REFUSED_NODES.get(type(node), f"'{type(node).__name__}'")
        raise ValueError(f"not allowed {self.source.at(node)}: {what} — use numbers, x, y, + - * / ** and "
                         f"the functions {FUNCTION_LIST}")

    def _number(self, node: ast.Constant) -> Term:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise ValueError(f"{value!r} {self.source.at(node)} is not allowed — only numbers, x and y")
        if isinstance(value, str | bytes):
            raise ValueError(f"strings are not allowed ({self.source.at(node)})")
        if isinstance(value, complex):
            raise ValueError(f"complex numbers are not allowed ({self.source.at(node)})")
        if not abs(value) <= MAX_NUMBER:
            raise ValueError(f"the number {self.source.segment(node)} {self.source.at(node)} is too large "
                             f"(at most {MAX_NUMBER:g} in absolute value)")
        return Term(sp.Integer(value) if isinstance(value, int) else sp.Float(value), float(value))

    def _name(self, node: ast.Name) -> Term:
        if node.id in VARIABLES:
            return Term(VARIABLES[node.id])
        if node.id in CONSTANTS:
            return Term(*CONSTANTS[node.id])
        if node.id in FUNCTIONS:
            raise ValueError(f"'{node.id}' {self.source.at(node)} is a function — call it, e.g. {node.id}(x)")
        raise ValueError(f"unknown name '{node.id}' {self.source.at(node)} — use x and y (and the constants pi, e)")

    def _unary(self, node: ast.UnaryOp, depth: int) -> Term:
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise ValueError(f"operator '{REFUSED_OPERATORS[type(node.op)]}' {self.source.at(node)} is not allowed")
        operand = self.build(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return operand
        return self._checked(Term(-operand.expr, None if operand.value is None else -operand.value), node)

    def _binary(self, node: ast.BinOp, depth: int) -> Term:
        if type(node.op) not in OPERATORS:
            symbol = REFUSED_OPERATORS[type(node.op)]
            raise ValueError(f"operator '{symbol}' {self.source.at(node)} is not allowed — use + - * / ** (or ^)")
        left, right = self.build(node.left, depth + 1), self.build(node.right, depth + 1)
        if isinstance(node.op, ast.Div) and right.expr == 0:
            raise ValueError(f"division by zero {self.source.at(node.right)}")
        if isinstance(node.op, ast.Pow) and right.value is not None and not abs(right.value) <= MAX_EXPONENT:
            raise ValueError(f"the exponent {self.source.segment(node.right)} {self.source.at(node.right)} is too "
                             f"large (at most {MAX_EXPONENT} in absolute value)")
        value = None
        if left.value is not None and right.value is not None:
            with np.errstate(all="ignore"):
                value = float(_FLOAT_OPERATIONS[type(node.op)](np.float64(left.value), np.float64(right.value)))
        expr = _SYMPY_OPERATIONS[type(node.op)](left.expr, right.expr)
        if expr.is_Pow and expr.exp.is_Number and abs(expr.exp) > MAX_FOLDED_EXPONENT:
            raise ValueError(f"the power {self.source.at(node)} folds into the exponent {expr.exp}, which is too large "
                             f"(at most {MAX_FOLDED_EXPONENT})")
        return self._checked(Term(expr, value), node)

    def _call(self, node: ast.Call, depth: int) -> Term:
        if not isinstance(node.func, ast.Name):
            raise ValueError(f"only the functions {FUNCTION_LIST} can be called ({self.source.at(node)})")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ValueError(f"unknown function '{name}' {self.source.at(node)} — use one of {FUNCTION_LIST}")
        if node.keywords:
            raise ValueError(f"{name}() takes one positional argument, not a keyword argument ({self.source.at(node)})")
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise ValueError(f"starred arguments are not allowed ({self.source.at(node)})")
        if len(node.args) != 1:
            raise ValueError(f"{name}() takes exactly one argument, got {len(node.args)} ({self.source.at(node)})")
        argument = self.build(node.args[0], depth + 1)
        symbolic, numeric = FUNCTIONS[name]
        value = None
        if argument.value is not None:
            with np.errstate(all="ignore"):
                value = float(numeric(np.float64(argument.value)))
        return self._checked(Term(symbolic(argument.expr), value), node)

    def _checked(self, term: Term, node: ast.AST) -> Term:
        """A constant part must be a finite real number of moderate size.

        sympy may cancel x away (0*x + 5 is the number 5); such a number is sized like any
        constant, so it cannot smuggle a huge exponent past the limits.
        """
        value = term.value
        if value is None and term.expr.is_Number:
            value = _as_float(term.expr)
        if value is not None and not abs(value) <= MAX_CONSTANT:
            problem = ("is not a real number" if math.isnan(value) else "is infinite" if math.isinf(value)
                       else f"exceeds {MAX_CONSTANT:g}")
            raise ValueError(f"the constant part '{self.source.segment(node)}' {self.source.at(node)} {problem}")
        if term.expr.has(*UNDEFINED):
            raise ValueError(f"'{self.source.segment(node)}' {self.source.at(node)} is not a finite real number")
        return Term(term.expr, value)


def _as_float(number: sp.Number) -> float:
    try:
        return float(number)
    except OverflowError:
        return math.inf


_FLOAT_OPERATIONS = {
    ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide, ast.Pow: np.power,
}
_SYMPY_OPERATIONS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
