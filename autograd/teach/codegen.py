"""The backward pass as code: plain Python written from a recorded graph and the op table.

``to_python`` writes a function with the forward pass as one line per node and the backward
pass as one chain-rule line per edge, each commented with its rule, in the names ``explain``
uses (made into identifiers). The op table's expressions are already Python over ``math``,
so the code imports nothing else. Choices that depend on data (relu, abs, clamp, maximum)
are written as the table's conditional expressions, so they are made again at run time:
the function is right for any input values, not just the recorded ones. ``compile`` runs it
once against the graph it came from before handing it over.

What cannot be written as code: Python control flow that the graph never saw (an ``if`` in
the code that built it: the graph holds only the branch taken), and a custom op (its
forward is a Python function, not a table expression): ``to_python`` names the op instead.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence

from ..engine.arguments import check_sequence
from ..engine.graph import edges, scratch_grads, topological_order
from ..engine.ops import NotCompilableError as NotCompilableError  # raised by a custom op's forward_code
from ..engine.value import Value, edge_rule
from .naming import node_names

LINE = 88  # wrap longer sums


def to_python(root: Value, inputs: Sequence[Value], name: str = "forward_backward", also: Sequence[Value] = ()) -> str:
    """The source of ``name(*inputs)``, returning ``(value, (d root / d input, ...))``.

    Leaves not in ``inputs`` are constants, written so that they read back exactly, and so is
    every node no input reaches (its value is written in, and no gradient goes to it); an input
    the output does not depend on gets the gradient 0. ``also`` names nodes of the graph
    (a model's output, say) whose values the function returns too, as a third item.

    >>> x = Value(2.0, "x"); w = Value(-3.0, "w")
    >>> y = (x * w).tanh(); y.label = "y"
    >>> print(to_python(y, [x, w]))
    import math
    <BLANKLINE>
    <BLANKLINE>
    def forward_backward(x, w):
        # forward
        x_w = x * w
        y = math.tanh(x_w)
        # backward: the chain rule, one line per edge
        d_y = 1.0
        d_x_w = d_y * (1.0 - y * y)  # ∂tanh(x*w)/∂(x*w) = 1 - tanh(x*w)^2
        d_x = d_x_w * w  # ∂(x * w)/∂x = w
        d_w = d_x_w * x  # ∂(x * w)/∂w = x
        return y, (d_x, d_w)
    """
    check_sequence(inputs, "inputs", "leaf Values of the graph, like [x, w]")
    check_sequence(also, "also", "nodes of the graph")
    inputs = list(inputs)
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"the function's name must be a Python identifier, got {name!r}")
    for x in inputs:
        if not isinstance(x, Value) or x.op:
            raise TypeError(f"inputs must be leaf Values of the graph (its inputs), got {x!r:.60}")
    order = list(reversed(topological_order(root)))
    names = node_names(root)
    also = list(also)
    for node in also:
        if not isinstance(node, Value) or node not in names:
            raise ValueError(f"also= takes nodes of the graph under the output; {node!r:.60} is not one of them")
    unused = [x for x in inputs if x not in names]  # an input the output does not depend on: gradient 0
    names |= {x: x.label or f"unused{k}" for k, x in enumerate(unused)}
    ident = _identifiers([*order, *unused], names, reserved={name, "math"})
    live = _live(order, inputs)
    body = ["# forward"]
    for node in order:
        if node.op and node in live:
            body += _wrapped(f"{ident[node]} = ", _forward(node, ident, live))
    body.append("# backward: the chain rule, one line per edge")
    body.append(f"d_{ident[root]} = 1.0")
    per_node, started = _backward_lines(root, order, ident, live, names)
    body += [line for lines in per_node.values() for line in lines]
    grads = [f"d_{ident[x]}" if x in started else "0.0" for x in inputs]
    head = _listed(f"def {name}(", [ident[x] for x in inputs], "):", "")
    tuple_end = lambda items: ",)" if len(items) == 1 else ")"
    extra = [_operand(node, ident, live) for node in also]
    returned = _listed(f"return {_operand(root, ident, live)}, (", grads, tuple_end(grads) + (", (" if also else ""),
                       "    ")
    if also:
        returned = [*returned[:-1], *_listed(returned[-1].strip(), extra, tuple_end(extra), "    ")]
    return "\n".join(["import math", "", "", *head, *(f"    {line}" for line in body), *returned])


def _live(order: list[Value], inputs: Sequence[Value]) -> set[Value]:
    """The nodes whose value depends on an input (the inputs too). The others are constants in the
    code: their values are written in, and no gradient is sent to them.

    >>> x = Value(2.0, "x"); w = Value(3.0, "w"); y = (w * 2) * x
    >>> sorted(node.label or node.op for node in _live([x, w, y.parents[0], y], [x]))
    ['*', 'x']
    """
    live = set(inputs)
    for node in order:  # forward order: parents first
        if node.op and any(parent in live for parent in edges(node)[0]):
            live.add(node)
    return live


def _backward_lines(root: Value, order: list[Value], ident: dict[Value, str], live: set[Value],
                    names: dict[Value, str], at: Collection[Value] | None = None) -> tuple[dict[Value, list[str]], set[Value]]:
    """Each live op node's chain-rule lines (backward order; only the nodes ``at``, when given), and
    the nodes that received a gradient."""
    lines: dict[Value, list[str]] = {}
    started = {root}
    for node in reversed(order):
        if not node.op or node not in live:
            continue
        if at is not None and node not in at:  # no lines, but its gradients still start (= becomes +=)
            started.update(parent for parent in edges(node)[0] if parent in live)
            continue
        lines[node] = []
        for k, parent in enumerate(edges(node)[0]):
            if parent in live:
                local = _derivative(node, k, ident, live)
                term = (f"d_{ident[node]}" if local == "1.0" else f"d_{ident[node]} * {local}"
                        if re.fullmatch(r"[\w.]+|\(-?[\w.+-]+\)", local) else f"d_{ident[node]} * ({local})")
                sign = "+=" if parent in started else "="
                started.add(parent)
                lines[node].append(f"d_{ident[parent]} {sign} {term}  # {_comment(edge_rule(node, k, names))}")
    return lines, started


def step_code(root: Value, at: Collection[Value] | None = None) -> dict[Value, list[str]]:
    """For each op node under ``root`` (or only those ``at``), the lines of generated code its backward
    step runs (every leaf an input).

    >>> x = Value(3.0, "x"); y = x * x; y.label = "y"
    >>> step_code(y)[y]
    ['d_x = d_y * x  # ∂(x * x)/∂x = x', 'd_x += d_y * x  # ∂(x * x)/∂x = x']
    """
    order = list(reversed(topological_order(root)))
    names = node_names(root)
    ident = _identifiers(order, names, reserved={"math"})
    leaves = [node for node in order if not node.op]
    for node in order:
        if node.op:
            _forward(node, ident, set())  # an op that cannot be written says so here
    return _backward_lines(root, order, ident, _live(order, leaves), names, at)[0]


def compile(root: Value, inputs: Sequence[Value], name: str = "forward_backward",
            also: Sequence[Value] = ()) -> Callable[..., tuple]:
    """``to_python``'s function, ready to call, checked once against the graph it came from.

    >>> x = Value(2.0, "x"); y = x * x + x.relu()
    >>> f = compile(y, [x])
    >>> f(2.0), f(-3.0)    # relu's branch is taken at run time
    ((6.0, (5.0,)), (9.0, (-6.0,)))
    >>> compile(y, [x], also=[x * x])(3.0)[2]  # not in the graph: refused
    Traceback (most recent call last):
    ...
    ValueError: also= takes nodes of the graph under the output; Value(data=4.0, grad=0.0, op='*') is not one of them
    >>> compile(y, [x], also=[y.parents[0]])(3.0)
    (12.0, (7.0,), (9.0,))
    """
    source = to_python(root, inputs, name, also)
    namespace: dict = {}
    exec(source, namespace)  # our own source, built from the op table; names are identifiers
    function = namespace[name]
    value, grads, *extra = function(*(x.data for x in inputs))
    if also and list(extra[0]) != [node.data for node in also]:
        raise AssertionError("the compiled function's extra values differ from the graph's: please report this")
    with scratch_grads(root):
        root.backward()
        expected = [x.grad for x in inputs]
    for got, want, x in [(value, root.data, root), *zip(grads, expected, inputs)]:
        if not (got == want or math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
                or (math.isnan(got) and math.isnan(want))):
            raise AssertionError(f"the compiled function gives {got!r} where the graph gives {want!r} "
                                 f"(for {x.label or 'the output'}): please report this")
    function.source = source
    return function


# Names the generated code may not take for a node: Python's builtins (the op table's code calls
# max, min, abs, float...) and the module it imports.
BUILTIN_NAMES = frozenset(dir(builtins)) | {"math"}


def _identifiers(order: list[Value], names: dict[Value, str], reserved: set[str]) -> dict[Value, str]:
    """Each node's name as a distinct Python identifier: ``x*w`` -> ``x_w``, ``L1.n3.b`` -> ``L1_n3_b``.

    Names are compared as Python reads them (NFKC: ``ℌ`` is ``H``, ``x²`` is ``x2``), and none
    shadows a builtin the code calls (a label ``max`` becomes ``max_2``).

    >>> from autograd import Value
    >>> a, b, c = Value(1.0, "ℌ"), Value(2.0, "H"), Value(3.0, "max")
    >>> list(_identifiers([a, b, c], {a: "ℌ", b: "H", c: "max"}, set()).values())
    ['H', 'H_2', 'max_2']
    """
    taken = set(reserved) | BUILTIN_NAMES
    ident = {}
    for node in order:
        text = unicodedata.normalize("NFKC", names[node])
        text = "".join(c if ("a" + c).isidentifier() else "_" for c in text)
        base = re.sub(r"_+", "_", text).strip("_") or "v"
        base = unicodedata.normalize("NFKC", base)
        if not base.isidentifier() or keyword.iskeyword(base) or base.startswith("d_"):
            base = f"v_{base}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        taken.add(candidate)
        ident[node] = candidate
    return ident


def _constant(c: float) -> str:
    c = float(c)
    if math.isnan(c):
        return "math.nan"
    if math.isinf(c):
        return "math.inf" if c > 0 else "-math.inf"
    return repr(c) if c >= 0 else f"({c!r})"


def _operand(arg: Value | float, ident: dict[Value, str], live: set[Value]) -> str:
    """A node as it appears in an expression: its variable, or, when no input reaches it, its constant value."""
    if isinstance(arg, Value):
        return ident[arg] if arg in live else _constant(arg.data)
    return _constant(arg)


def _forward(node: Value, ident: dict[Value, str], live: set[Value]) -> list[str] | str:
    return node.op.forward_code(node, lambda arg: _operand(arg, ident, live))


def _derivative(node: Value, k: int, ident: dict[Value, str], live: set[Value]) -> str:
    """The local derivative on the node's k-th edge as an expression (the table's, at run time)."""
    return _folded(node.op.derivative_code(node, k, lambda arg: _operand(arg, ident, live), ident[node]))


def _folded(expression: str) -> str:
    """The expression with what its constants decide worked out, as a student writes the rule: the
    table's rule for ``x ** b`` with ``b = 2.0`` is ``2.0 * x``; an expression with nothing to work out
    is returned as it is.

    >>> _folded("0.0 if 2.0 == 0 else 2.0 * x ** (2.0 - 1.0) if 2.0 >= 1 or not -1.0 < x < 1.0 else 2.0 * (y / x)")
    '2.0 * x'
    >>> _folded("1.0 if x > 0 else 0.0")
    '1.0 if x > 0 else 0.0'
    """
    folder = _Fold()
    tree = folder.visit(ast.parse(expression, mode="eval"))
    return ast.unparse(tree) if folder.changed else expression


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
               ast.Pow: operator.pow}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}


def _known(node: ast.AST) -> tuple[bool, float]:
    """(True, its value) for a number or truth value written out (``2.0``, ``-1.0``, ``True``), else (False, 0.0)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):  # bool is an int
        return True, node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        known, value = _known(node.operand)
        return (True, -value) if known and type(value) is not bool else (False, 0.0)
    return False, 0.0


def _written(value: float) -> ast.expr:
    if type(value) is not bool and value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


class _Fold(ast.NodeTransformer):
    """Works out comparisons, conditions and arithmetic of constants; ``v ** 1.0`` is ``v``, ``v ** 0.0`` is 1.0,
    ``1.0 * v`` is ``v``."""

    def __init__(self) -> None:
        self.changed = False

    def _done(self, node: ast.expr) -> ast.expr:
        self.changed = True
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        (left_known, left), (right_known, right) = _known(node.left), _known(node.right)
        compute = _ARITHMETIC.get(type(node.op))
        if left_known and right_known and compute is not None:
            try:
                value = compute(left, right)
            except (ArithmeticError, ValueError):
                return node
            if isinstance(value, (int, float)) and math.isfinite(value):
                return self._done(_written(float(value)))
        if isinstance(node.op, ast.Pow) and right_known and right == 1:
            return self._done(node.left)
        if isinstance(node.op, ast.Pow) and right_known and right == 0:  # Python's v ** 0.0 is 1.0 for every v
            return self._done(ast.Constant(1.0))
        if isinstance(node.op, ast.Mult) and right_known and right == 1:
            return self._done(node.left)
        if isinstance(node.op, ast.Mult) and left_known and left == 1:
            return self._done(node.right)
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        self.generic_visit(node)
        sides = [_known(side) for side in (node.left, *node.comparators)]
        if not all(known for known, _ in sides) or not all(type(op) in _COMPARE for op in node.ops):
            return node
        values = [value for _, value in sides]
        return self._done(ast.Constant(all(_COMPARE[type(op)](a, b)
                                           for op, a, b in zip(node.ops, values, values[1:]))))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        known, value = _known(node.operand)
        if isinstance(node.op, ast.Not) and known:
            return self._done(ast.Constant(not value))
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
        self.generic_visit(node)
        deciding = isinstance(node.op, ast.Or)  # the truth value that decides an or (False decides an and)
        kept = []
        for value in node.values:
            known, truth = _known(value)
            if not known:
                kept.append(value)
            elif bool(truth) == deciding and not kept:
                return self._done(ast.Constant(deciding))
            elif bool(truth) == deciding:
                kept.append(value)
                break
            else:
                self.changed = True  # a constant that cannot decide: dropped
        if not kept:
            return self._done(ast.Constant(not deciding))
        return kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept)

    def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
        self.generic_visit(node)
        known, truth = _known(node.test)
        if known:
            return self._done(node.body if truth else node.orelse)
        return node


def _comment(text: str) -> str:
    return " ".join(text.split())  # one line, whatever the labels hold


def _listed(head: str, items: list[str], tail: str, indent: str) -> list[str]:
    """``head a, b, c tail`` on one line, or one item a line when that is too long."""
    line = f"{indent}{head}{', '.join(items)}{tail}"
    if len(line) <= LINE:
        return [line]
    return [f"{indent}{head}", *(f"{indent}    {item}," for item in items), f"{indent}{tail.lstrip(',')}"]


def _wrapped(head: str, expression: list[str] | str) -> list[str]:
    """``head + expression``, and a sum of terms broken over lines inside brackets when it is long."""
    if isinstance(expression, str):
        return [head + expression]
    one_line = head + " + ".join(expression)
    if len(one_line) <= LINE:
        return [one_line]
    lines, current = [], f"{head}({expression[0]}"
    for term in expression[1:]:
        if len(current) + len(term) + 3 > LINE:
            lines.append(current)
            current = f"{' ' * (len(head) + 1)}+ {term}"
        else:
            current += f" + {term}"
    return [*lines, current + ")"]
