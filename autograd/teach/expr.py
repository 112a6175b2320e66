"""Safe expressions: parse text like ``tanh(x*w + b)`` into a graph of Values, never with eval.

Python's ``ast`` parses the text; a whitelist then accepts only numbers, names,
``+ - * / ** %``, unary minus and plus, parentheses and calls of the op table's functions
(``tanh(x)``, ``clamp(x, 0, 1)``, ``maximum(a, b)``: see ``autograd.ops``).
Everything else is refused with an ``ExpressionError`` that says what and where. Numbers
are floats (so ``**`` can overflow but never runs for long), the text is capped in length
and nesting, and evaluation is iterative, so no input can exhaust the stack.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import unicodedata
import warnings
from collections.abc import Collection, Sequence

from ..engine.ops import ARITIES
from ..engine.value import CALLABLE, Value

FUNCTIONS = tuple(ARITIES)
MAX_LENGTH = 1000
MAX_NESTING = 50
OUTPUT_NAME = "f"  # what the CLI, worksheets and the web page call an expression's value

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow, ast.Mod: operator.mod}

# What a refused construct is called in an error message.
_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "conditional expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignments",
    ast.Starred: "starred arguments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """The expression is not accepted; ``column`` (1-based) says where, when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return self.message + (f" (column {self.column})" if self.column else "")


def parse_expression(text: str) -> ast.expr:
    """Parse ``text`` and check it against the whitelist; return the expression's AST.

    >>> ast.dump(parse_expression("2*x"))[:5]
    'BinOp'
    >>> parse_expression("x.__class__")
    Traceback (most recent call last):
    ...
    autograd.teach.expr.ExpressionError: attribute access is not allowed: x.__class__ (column 1)
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    _check_nesting(text)
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal": we report our own errors
            warnings.simplefilter("ignore")
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        implicit = _IMPLICIT_PRODUCT.search(text.strip())
        if implicit and "literal" in error.msg:  # 2x: Python's "invalid decimal literal"
            raise ExpressionError(f"write {implicit[1]}*{implicit[2]} for {implicit[0]}: a number times a name "
                                  "needs *", implicit.start() + 1) from None
        raise ExpressionError(f"syntax error: {error.msg}", error.offset) from None
    except (ValueError, MemoryError, RecursionError) as error:
        raise ExpressionError(f"the expression cannot be parsed: {error}") from None
    for node in ast.walk(tree.body):
        _check(node, text.strip())
    return tree.body


# A number written against a name, as on paper: 2x, 0.5w (Python reads no product there).
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)([A-Za-z_]\w*)")


def _check_nesting(text: str) -> None:
    depth = 0
    for column, char in enumerate(text, start=1):
        depth += (char in "([{") - (char in ")]}")
        if depth > MAX_NESTING:
            raise ExpressionError(f"the expression is nested more than {MAX_NESTING} levels deep", column)


def _check(node: ast.AST, text: str) -> None:
    column = getattr(node, "col_offset", -1) + 1 or None
    if isinstance(node, (ast.operator, ast.unaryop, ast.expr_context)):
        return
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.BitXor):  # x^2 as on paper or a calculator
            base, exponent = (f"({_source(side, text)})" if isinstance(side, (ast.BinOp, ast.UnaryOp))
                              else _source(side, text) for side in (node.left, node.right))
            power = f"{base}**{exponent}"
            raise ExpressionError(f"'^' is not a power here: write {power} (** raises to a power)", column)
        if type(node.op) not in _BINARY:
            raise ExpressionError(f"the operator {_source(node, text)!r} is not allowed; use + - * / ** %", column)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ExpressionError(f"the operator in {_source(node, text)!r} is not allowed; use + - * / ** %", column)
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            kind = "strings" if isinstance(node.value, (str, bytes)) else f"{type(node.value).__name__} constants"
            raise ExpressionError(f"{kind} are not allowed: {_source(node, text)}", column)
        if not _finite(node.value):  # type: ignore[arg-type]  # an int or a float, checked above
            raise ExpressionError(f"the number {_source(node, text)} is too large for a float (largest about 1.8e308)",
                                  column)
    elif isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise ExpressionError(
                f"unknown function {_source(node.func, text)!r}; the functions are {', '.join(FUNCTIONS)}", column
            )
        least, most = ARITIES[node.func.id]
        if node.keywords:
            raise ExpressionError(f"{node.func.id}() takes no keyword arguments (name=...): write the values in order, "
                                  f"like {node.func.id}({', '.join(['x', '0.1', '1'][:most])})", column)
        if not least <= len(node.args) <= most:
            count = f"exactly {least}" if least == most else f"{least} to {most}"
            raise ExpressionError(f"{node.func.id}() takes {count} argument{'s' * (most > 1)}, "
                                  f"got {len(node.args) + len(node.keywords)}", column)
    elif isinstance(node, ast.Name):
        pass  # checked against the inputs when evaluating
    else:
        what = _REFUSED.get(type(node), f"'{type(node).__name__}' expressions")
        raise ExpressionError(f"{what} {'is' if what.endswith('access') else 'are'} not allowed: {_source(node, text)}", column)


def _source(node: ast.AST, text: str) -> str:
    snippet = ast.get_source_segment(text, node) or type(node).__name__
    return snippet if len(snippet) <= 40 else snippet[:37] + "..."


def names_in(tree: ast.expr) -> list[str]:
    """The input names an expression uses (not its function names), in order of appearance.

    A function's name without its call (``exp`` alone) is an ``ExpressionError``.

    >>> names_in(parse_expression("tanh(x*w + b) + x"))
    ['x', 'w', 'b']
    """
    functions = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in functions]
    found.sort(key=lambda node: (node.lineno, node.col_offset))  # ast.walk goes breadth first, not left to right
    for node in found:
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} is a function: call it on a value, like {node.id}(x)", node.col_offset + 1)
    return list(dict.fromkeys(node.id for node in found))


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int literal of 400 digits
        return False


def evaluate(tree: ast.expr, inputs: dict[str, Value], text: str = "") -> Value | float:
    """Compute a checked expression with the given input Values, iteratively (post-order).

    >>> x = Value(2.0, "x")
    >>> evaluate(parse_expression("tanh(x * 0)"), {"x": x}).data
    0.0
    """
    results: dict[int, Value | float] = {}
    stack: list[tuple[ast.expr, bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        children = _children(node)
        if not ready and children:
            stack.append((node, True))
            stack.extend((child, False) for child in children)
            continue
        try:
            result = results[id(node)] = _apply(node, [results.pop(id(c)) for c in children], inputs)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
            if isinstance(error, ExpressionError):
                raise
            where = f" in {_source(node, text)!r}" if text else ""
            raise ExpressionError(f"{error}{where}", node.col_offset + 1) from None
        number = result.data if isinstance(result, Value) else result
        if not math.isfinite(number):
            where = f"{_source(node, text)!r}" if text else "a part of the expression"
            raise ExpressionError(f"{where} gives {number}: the number overflows a float (largest about 1.8e308)",
                                  node.col_offset + 1)
    return results[id(tree)]


def _children(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def _apply(node: ast.expr, args: list, inputs: dict[str, Value]) -> Value | float:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # a number: the whitelist let only those through
    if isinstance(node, ast.Name):
        if node.id not in inputs:
            hint = f"{node.id}() is a function" if node.id in FUNCTIONS else f"give it a value as {node.id}=NUMBER"
            raise ExpressionError(f"unknown name {node.id!r}: {hint}", node.col_offset + 1)
        return inputs[node.id]
    if isinstance(node, ast.UnaryOp):
        return -args[0] if isinstance(node.op, ast.USub) else args[0]
    # Numbers alone go through a Value too, for the engine's float arithmetic and clear errors.
    if isinstance(node, ast.BinOp):
        a, b = args
        combine = _BINARY[type(node.op)]
        return combine(a, b) if isinstance(a, Value) or isinstance(b, Value) else combine(Value(a), b).data
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # the whitelist let only calls through
    function = CALLABLE[node.func.id]
    least = ARITIES[node.func.id][0]
    for k, arg in enumerate(args[least:], start=least + 1):
        if isinstance(arg, Value):
            raise ExpressionError(f"{node.func.id}(): argument {k} is a parameter, a number written in the expression "
                                  f"(like {node.func.id}(x, 0.1)), not an input", node.args[k - 1].col_offset + 1)
    if any(isinstance(arg, Value) for arg in args):
        return function(*args)
    return function(Value(args[0]), *args[1:]).data


def check_input_value(name: str, text: str) -> float:
    """A NAME=VALUE value: a finite number, or an ExpressionError saying what is wrong."""
    try:
        number = float(text)
    except ValueError:
        raise ExpressionError(f"{name}={text!r}: the value must be a number, like {name}=2.5") from None
    if not math.isfinite(number):
        raise ExpressionError(f"{name}={text}: the value must be finite")
    return number


def parse_inputs(pairs: Sequence[str], wanted: list[str]) -> dict[str, Value]:
    """NAME=VALUE pairs as labelled leaves; every name in the expression needs exactly one.

    >>> parse_inputs(["x=2"], ["x"])
    {'x': Value(data=2.0, grad=0.0, label='x')}
    """
    inputs: dict[str, Value] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as Python reads the expression's names
        if not sep or not name.isidentifier():
            raise ExpressionError(f"{pair!r} is not NAME=VALUE (like x=2.5)")
        if name in FUNCTIONS or name == OUTPUT_NAME:
            raise ExpressionError(f"{name!r} is reserved{' (a function)' if name in FUNCTIONS else ' (the output)'}: pick another name")
        if name in inputs:
            raise ExpressionError(f"{name} is given twice")
        inputs[name] = Value(check_input_value(name, text.strip()), name)
    check_names(wanted, inputs)
    return inputs


def check_names(wanted: Sequence[str], given: Collection[str], what: str = "value", form: str = "NUMBER",
                error: type[ValueError] = ExpressionError) -> None:
    """Every name the expression uses is ``given`` a ``what``, and nothing else is: ``error`` says which.

    >>> check_names(["x", "w"], ["x"])
    Traceback (most recent call last):
    autograd.teach.expr.ExpressionError: no value for w: add w=NUMBER
    """
    missing = [n for n in wanted if n not in given]
    if missing:
        raise error(f"no {what} for {', '.join(missing)}: add {' '.join(f'{n}={form}' for n in missing)}")
    unused = [n for n in given if n not in wanted]
    if unused:
        raise error(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not in the expression")


def build(text: str, pairs: Sequence[str]) -> tuple[Value, dict[str, Value]]:
    """The expression's graph, its output labelled ``f``, and the input leaves by name.

    The same safe parser as ``parse_expression``: what a learner types in the CLI, a worksheet
    or the web page. Bad text or values raise ``ExpressionError`` saying what and where.

    >>> out, inputs = build("x*y + 1", ["x=2", "y=3"])
    >>> out.label, out.data, sorted(inputs)
    ('f', 7.0, ['x', 'y'])
    """
    tree = parse_expression(text)
    inputs = parse_inputs(pairs, names_in(tree))
    out = evaluate(tree, inputs, text.strip())
    if not isinstance(out, Value) or out.label:
        out = out * 1.0 if isinstance(out, Value) else Value(out)  # a constant, or a bare input
    out.label = OUTPUT_NAME
    return out, inputs
