"""The table of op rules: every op's forward, local derivative and readable rule, in one place.

Each entry of ``TABLE`` is an ``Op``: its forward pass and its local derivatives written as
Python expressions over floats, beside each other, much as PyTorch's ``derivatives.yaml``
holds one line per op. Everything else reads the entry:

- ``Value``'s methods (``x.tanh()``, ``x * y``) are generated from ``forward``,
  ``derivatives`` and ``domain``, with the expressions inlined, so the table costs the
  fast path nothing (see ``value.py``);
- ``value_derivative`` evaluates the same derivative expressions on Values (``math.cos``
  becomes ``Value.cos``), a graph that can be differentiated again;
- explanations and pictures read ``formula``, ``rule`` and the LaTeX forms;
- the CLI's whitelist, nn's activations and ``chainrule ops`` (a cheat sheet) read the names.

The expressions name the operands ``x`` (unary) or ``a`` and ``b`` (binary), the result
``out``, and any parameters by name; they may use ``math`` and nothing else, so generated
code can print them as they are. Written to be evaluated on Values too, they never use
``==``/``!=`` on an operand (on Values those mean identity) nor its truth value; ``>``, ``<``
and friends compare data. Where the Value form must differ (``**`` at 0), ``value_derivatives``
gives it.

Adding an op is one entry and its tests:

1. Add ``unary(...)`` or ``binary(...)`` below: the forward, the derivative per operand, the
   rule as people read it (plain and LaTeX; ``$x``, ``$a``, ``$b``, ``$out`` stand for the
   operands' names), the domain as conditions with their messages, and ``points``, the
   range where tests and ``check_op`` sample it.
2. Add a hand-worked row to ``tests/test_ops.py`` and, if PyTorch has the op, its name to
   ``TORCH`` in ``tests/test_op_table.py``; the table-driven tests (central differences,
   Value-built against float derivatives, PyTorch parity, the CLI) then cover it.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from .formatting import bracketed, format_constant
from .graph import edges

if TYPE_CHECKING:
    from .value import Value

PLACEHOLDER = re.compile(r"\$(?:(\w+)|\{(\w+)\})")


def fill(template: str, names: dict[str, str]) -> str:
    """A rule's ``$x`` placeholders replaced by names, a formula bracketed where precedence needs it.

    A placeholder without a name is left as it is.

    >>> fill("1/$b", {"b": "a - c"}), fill("tanh($x)", {"x": "x*w + b"}), fill("$a + $b", {"a": "x*w", "b": "b"})
    ('1/(a - c)', 'tanh(x*w + b)', 'x*w + b')
    >>> fill("$a * $b", {"a": "x + 1", "b": "y"}), fill("$x^2", {"x": "-3"}), fill("-$a/$b^2", {"a": "u", "b": "v*w"})
    ('(x + 1) * y', '(-3)^2', '-u/(v*w)^2')
    >>> fill("$a ** $b", {"a": "x*y", "b": "n + 1"}), fill("1/($x ln 2)", {"x": "a + b"})
    ('(x*y) ** (n + 1)', '1/((a + b) ln 2)')
    """
    def put(match: re.Match) -> str:
        name = names.get(match[1] or match[2])
        if name is None:
            return match[0]
        ahead, behind = template[: match.start()].rstrip(), template[match.end():].lstrip()
        before = "^" if ahead.endswith("**") else ahead[-1:]
        after = "^" if behind.startswith("**") else behind[:1]
        if after.isalnum() or after == "\\":  # written side by side, as in "$x ln 2": a product
            after = "*"
        if before == "-" and ahead[:-1].rstrip()[-1:] in ("", "(", ",", "{"):
            before = "unary -"
        needs = max(BINDS_RIGHT_OF.get(before, 0), BINDS_LEFT_OF.get(after, 0))
        return f"({name})" if binding(name) < needs else name

    return PLACEHOLDER.sub(put, template)


# How tightly a name must bind to go without brackets beside each operator of a rule.
BINDS_RIGHT_OF = {"+": 1, "-": 2, "unary -": 2, "*": 2, "/": 3, "%": 3, "^": 4}
BINDS_LEFT_OF = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2, "^": 4}


def binding(text: str) -> float:
    """How tightly a name holds together: 1 for a sum, 2 for a product, 3 for a power, 2.5 for a
    negation, 5 for a name, a number or one call (``tanh(a*b)``), which never need brackets."""
    depth, loosest = 0, 5.0
    for k, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth or k == 0:
            continue
        if text[k - 1: k + 2] in (" + ", " - "):
            loosest = min(loosest, 1)
        elif char in "*/%" and text[k - 1: k + 1] != "**" and text[k: k + 2] != "**":
            loosest = min(loosest, 2)
        elif char == "^" or text[k: k + 2] == "**":
            loosest = min(loosest, 3)
    return min(loosest, 2.5) if text.startswith("-") else loosest


class Writing(Protocol):
    """How a formula is written (teach's notations): an infix operator and a call."""

    def infix(self, a: str, op: str, b: str) -> str: ...

    def call(self, function: str, args: list[str]) -> str: ...


class NotDifferentiableAgainError(TypeError):
    """A node's op has no derivative built from Values (a custom op given without ``value_derivative``)."""


class NotCompilableError(TypeError):
    """The graph holds an op that generated code cannot write (a custom op: its forward is Python code)."""


class Op(str):
    """One op of the table. The object is the op's symbol (``node.op == "tanh"``) and carries its rules.

    An op also reads its own nodes (``arguments``, ``edge_rule``, ``value_local_grads``,
    ``evaluate``, ``forward_code``, ``written``); this class reads a table op's, and ``SumOp``,
    ``DotOp`` and ``CustomOp`` read theirs, so nothing else asks which kind a node's op is.

    >>> TANH = BY_NAME["tanh"]
    >>> TANH, TANH.forward, TANH.derivatives
    ('tanh', 'math.tanh(x)', ('1.0 - out * out',))
    >>> TANH.rule()
    '∂tanh(x)/∂x = 1 - tanh(x)^2'
    """

    operands: tuple[str, ...]
    params: tuple[tuple[str, float], ...]
    forward: str
    derivatives: tuple[str, ...]
    value_derivatives: tuple[str, ...]
    rules: tuple[str, ...]
    latex_rules: tuple[str, ...]
    domain: tuple[tuple[str, type, str], ...]
    overflow: str | None
    symbol_kind: str  # "infix", "prefix", "call", "nary" or "leaf"
    method: str
    latex_name: str
    points: tuple[float, float]
    activation: bool
    constant_first: bool  # for a binary op with one constant: is the constant the left operand?
    custom = False  # a custom_op's (CustomOp)
    sums_products = False  # a weighted sum, one node (DotOp): how nn's neurons are made
    except_at: str | None = None  # where the op is undefined though no float ever lands there (tan: pi/2 + k pi)

    def __new__(cls, name: str, **fields: Any) -> Op:
        op = str.__new__(cls, name)
        op.__dict__.update(fields)
        return op

    def with_constant_first(self) -> Op:
        """The same op recorded for ``c op x``: a twin whose constant is the left operand."""
        return type(self)(str(self), **{**self.__dict__, "constant_first": True})

    @property
    def name(self) -> str:
        return str(self)

    @property
    def math_name(self) -> str | None:
        """The ``math`` function that computes the op, e.g. ``math.tanh``; None where it is an expression."""
        head, _, rest = self.forward.partition("(")
        return head if head.startswith("math.") and rest == f"{self.operands[0]})" else None

    def template(self) -> str:
        """The op applied to its operands and parameters, with ``$names``: ``$a * $b``, ``tanh($x)``."""
        names = [f"${n}" for n in (*self.operands, *(p for p, _ in self.params))]
        if self.symbol_kind == "infix":
            return f"{names[0]} {self} {names[1]}"
        if self.symbol_kind == "prefix":
            return f"-{names[0]}"
        return f"{self}({', '.join(names)})"

    def formula(self, **names: str) -> str:
        """The op on the given operand names: ``formula(a="x", b="3")`` gives ``x * 3``.

        >>> BY_NAME["*"].formula(b="3"), BY_NAME["clamp"].formula()
        ('a * 3', 'clamp(x, lo, hi)')
        """
        defaults = {n: n for n in (*self.operands, *(p for p, _ in self.params))}
        return fill(self.template(), {**defaults, **names})

    def rule(self, k: int = 0, notation: str = "plain", **names: str) -> str:
        """The local derivative by operand ``k`` as people read it: ``∂tanh(x)/∂x = 1 - tanh(x)^2``.

        Local, so written with ∂ (a total derivative, a gradient summed over paths, is written with d).

        ``names`` replace the operand and parameter names (``x="n"``, ``out="o"``).
        """
        operand = self.operands[min(k, len(self.operands) - 1)]
        names = {**{n: n for n in (*self.operands, *(p for p, _ in self.params), "out")}, **names}
        rule = self.derivative_text(k, notation, **names)
        of = self.formula(**names)
        if notation == "latex":
            return rf"\frac{{\partial}}{{\partial {names[operand]}}} {of} = {rule}"
        of = f"({of})" if self.symbol_kind in ("infix", "prefix") else of
        return f"∂{of}/∂{bracketed(names[operand])} = {rule}"

    def derivative_text(self, k: int = 0, notation: str = "plain", **names: str) -> str:
        """Only the right-hand side of ``rule``: ``1 - tanh(x)^2``.

        >>> BY_NAME["*"].derivative_text(1, a="x")
        'x'
        """
        names = {**{n: n for n in (*self.operands, *(p for p, _ in self.params), "out")}, **names}
        return fill((self.latex_rules if notation == "latex" else self.rules)[k], names)

    def domain_text(self) -> str:
        """Where the op is defined, as the table's conditions: ``x > 0``, or ``all real x``.

        >>> BY_NAME["log"].domain_text(), BY_NAME["tan"].domain_text(), BY_NAME["clamp"].domain_text()
        ('x > 0', 'all real x except pi/2 + k pi', 'all real x; lo <= hi')
        """
        on_operands = [condition for condition, _, _ in self.domain
                       if any(re.search(rf"\b{operand}\b", condition) for operand in self.operands)]
        on_params = [condition for condition, _, _ in self.domain if condition not in on_operands]
        text = "; ".join(on_operands) or "all real " + " and ".join(self.operands)
        if self.except_at:
            text += f" except {self.except_at}"
        return "; ".join([text, *on_params])

    # ---- reading a node of this op ----

    def arguments(self, node: Value) -> tuple[list[Any], tuple[Any, ...]]:
        """The node's operands in the op's order (parent Values and recorded constants) and its parameters.

        >>> from autograd import Value
        >>> x = Value(2.0, "x")
        >>> (3 - x).op.arguments(3 - x)[0][0], x.leaky_relu(0.2).op.arguments(x.leaky_relu(0.2))[1]
        (3, (0.2,))
        """
        if not self:  # a leaf
            return [], ()
        parents = edges(node)[0]
        consts = getattr(node, "_consts", None)
        if len(self.operands) == 2:
            if len(parents) == 2:
                return list(parents), ()
            return ([consts, parents[0]] if self.constant_first else [parents[0], consts]), ()
        return [parents[0]], () if consts is None else consts if isinstance(consts, tuple) else (consts,)

    def value_positions(self, node: Value) -> list[int]:
        """Which of ``arguments(node)[0]`` are the parents (the rest are constants), in the parents' order."""
        if len(self.operands) == 2 and not isinstance(node._parents, tuple):
            return [1 if self.constant_first else 0]
        return list(range(len(edges(node)[0])))

    def products(self, node: Value) -> list[tuple[Value, Value | float]]:
        """The node as a weighted sum's terms (see ``DotOp``); a table op is none: no terms."""
        return []

    def rule_index(self, node: Value, k: int) -> int:
        """Which of the op's rules (one per operand) gives the local derivative on the node's ``k``-th edge."""
        return self.value_positions(node)[k]

    def edge_rule(self, node: Value, k: int, names: dict[Value, str], notation: str = "plain",
                  whole: bool = True) -> str:
        """The rule on the node's ``k``-th edge with its operands' names and constants (``value.edge_rule``)."""
        args, params = self.arguments(node)
        values = set(self.value_positions(node))
        shown = {operand: _name(names, arg, operand) if i in values else format_constant(arg)
                 for i, (operand, arg) in enumerate(zip(self.operands, args))}
        shown |= {name: format_constant(value) for (name, _), value in zip(self.params, params)}
        shown["out"] = names.get(node, node.label or "out")
        if not whole:
            return self.derivative_text(self.rule_index(node, k), notation, **shown)
        return self.rule(self.rule_index(node, k), notation, **shown)

    def value_local_grads(self, node: Value) -> tuple[Value | float, ...]:
        """The node's local derivatives built from Values (``value.value_local_grads``)."""
        args, params = self.arguments(node)
        functions = self.value_functions
        if len(functions) == 1 or type(node._parents) is tuple:  # every operand is a parent
            return tuple(function(*args, *params, node) for function in functions)
        return (functions[self.value_positions(node)[0]](*args, *params, node),)  # one beside a constant

    @cached_property
    def value_functions(self) -> list[Callable[..., Any]]:
        """The derivative expressions as functions of Values (operands, parameters, ``out``), compiled once."""
        args = ", ".join([*self.operands, *(name for name, _ in self.params), "out"])
        return [eval(f"lambda {args}: {expression}", dict(VALUE_NAMESPACE))  # our own table's text
                for expression in self.value_derivatives]

    @cached_property
    def float_function(self) -> Callable[..., float]:
        """The forward as a function of floats (operands, then parameters), compiled once.

        >>> BY_NAME["tanh"].float_function(0.0), BY_NAME["clamp"].float_function(5.0, 0.0, 1.0)
        (0.0, 1.0)
        """
        args = ", ".join([*self.operands, *(name for name, _ in self.params)])
        function: Callable[..., float] = eval(f"lambda {args}: {self.forward}", {"math": math})  # the table's text
        return function

    @cached_property
    def float_derivatives(self) -> list[Callable[..., float]]:
        """The local derivative by each operand as a function of floats (operands, parameters, then
        ``out``), compiled once.

        >>> BY_NAME["tanh"].float_derivatives[0](0.5, 0.0), BY_NAME["*"].float_derivatives[1](2.0, 3.0, 6.0)
        (1.0, 2.0)
        """
        args = ", ".join([*self.operands, *(name for name, _ in self.params), "out"])
        return [eval(f"lambda {args}: {expression}", {"math": math})  # the table's own text
                for expression in self.derivatives]

    def evaluate(self, node: Value, value: Callable[[Any], float]) -> float:
        """The node's value computed again from ``value(operand)`` of each operand (``replay``)."""
        args, params = self.arguments(node)
        return float(self.float_function(*map(value, args), *params))

    def forward_code(self, node: Value, operand: Callable[[Any], str]) -> list[str] | str:
        """The node's forward as Python (``operand`` writes each operand); a list of terms for a sum."""
        args, params = self.arguments(node)
        values = dict(zip(self.operands, map(operand, args))) | {p: operand(v) for (p, _), v in zip(self.params, params)}
        return substitute(self.forward, values)

    def derivative_code(self, node: Value, k: int, operand: Callable[[Any], str], out: str) -> str:
        """The local derivative on the node's ``k``-th edge as Python; ``out`` is the node's variable."""
        args, params = self.arguments(node)
        values = {name: operand(a) for name, a in zip(self.operands, args)}
        values |= {p: operand(v) for (p, _), v in zip(self.params, params)} | {"out": out}
        return substitute(self.derivatives[self.rule_index(node, k)], values)

    def written(self, node: Value, name: Callable[[Value], str], constant: Callable[[Any], str],
                notation: Writing, plain: bool) -> str:
        """How the node was computed in its parents' names (``naming.formula``); ``plain``: text, with
        brackets only where precedence needs them."""
        args, params = self.arguments(node)
        values = set(self.value_positions(node))
        shown = [name(a) if i in values else constant(a) for i, a in enumerate(args)]
        if self.symbol_kind in ("infix", "prefix") and plain:
            return self.formula(**dict(zip(self.operands, shown)))
        if self.symbol_kind == "infix":
            return notation.infix(shown[0], self, shown[1])
        if self.symbol_kind == "prefix":
            return f"-{shown[0]}"
        return notation.call(self, [*shown, *map(constant, params)])


def _name(names: dict[Value, str], node: Value, default: str) -> str:
    return names.get(node) or node.label or default


class SumOp(Op):
    """``sum``: one node adding any number of Values; its constant terms are recorded as one number."""

    def arguments(self, node: Value) -> tuple[list[Any], tuple[Any, ...]]:
        consts = getattr(node, "_consts", None)
        return [*edges(node)[0], *(() if consts is None else (consts,))], ()

    def value_positions(self, node: Value) -> list[int]:
        return list(range(len(edges(node)[0])))

    def rule_index(self, node: Value, k: int) -> int:
        return 0

    def edge_rule(self, node: Value, k: int, names: dict[Value, str], notation: str = "plain",
                  whole: bool = True) -> str:
        local = format_constant(1.0)
        return f"∂{self}(...)/∂{_name(names, edges(node)[0][k], 'x_i')} = {local}" if whole else local

    def value_local_grads(self, node: Value) -> tuple[Value | float, ...]:
        return (1.0,) * len(edges(node)[0])

    def evaluate(self, node: Value, value: Callable[[Any], float]) -> float:
        return sum(map(value, self.arguments(node)[0]))

    def forward_code(self, node: Value, operand: Callable[[Any], str]) -> list[str] | str:
        return [operand(a) for a in self.arguments(node)[0]]

    def derivative_code(self, node: Value, k: int, operand: Callable[[Any], str], out: str) -> str:
        return "1.0"

    def written(self, node: Value, name: Callable[[Value], str], constant: Callable[[Any], str],
                notation: Writing, plain: bool) -> str:
        parents = edges(node)[0]
        rest = getattr(node, "_consts", None)
        text = notation.call(self, [name(p) for p in parents])
        return notation.infix(text, "+", constant(rest)) if rest else text


class DotOp(Op):
    """``dot``: a weighted sum as one node. Its parents are laid out ``(*xs, *ys, *singles)``: the n
    pairs where both factors are Values, then each Value whose factor is a number (its local
    derivative), a Value start last; the node records ``(n, constant part of the sum)``."""

    sums_products = True
    MAX_TERMS = 4  # a longer weighted sum is written as its first terms, a count and its last term

    def arguments(self, node: Value) -> tuple[list[Any], tuple[Any, ...]]:
        constant = node._consts[1]
        return [*edges(node)[0], *((constant,) if constant else ())], ()

    def value_positions(self, node: Value) -> list[int]:
        return list(range(len(edges(node)[0])))

    def rule_index(self, node: Value, k: int) -> int:
        pairs = node._consts[0]
        return 1 if pairs <= k < 2 * pairs else 0

    def products(self, node: Value) -> list[tuple[Value, Value | float]]:
        """The node's terms as (Value, its factor): the other Value of a pair, or a number (the start's is 1).

        >>> from autograd import Value
        >>> a, b = Value(2.0, "a"), Value(3.0, "b"); d = Value.dot([a, b], [b, 4.0])
        >>> [(x.label, y if isinstance(y, float) else y.label) for x, y in d.op.products(d)]
        [('a', 'b'), ('b', 4.0)]
        """
        parents, local_grads = edges(node)
        pairs = node._consts[0]
        return [(parents[i], parents[pairs + i]) for i in range(pairs)] + \
               [(parents[i], local_grads[i]) for i in range(2 * pairs, len(parents))]

    def factor(self, node: Value, k: int) -> Value | float:
        """What the node's k-th parent is multiplied by: its partner Value in a pair, or a number."""
        parents, local_grads = edges(node)
        pairs = node._consts[0]
        return parents[k + pairs] if k < pairs else parents[k - pairs] if k < 2 * pairs else local_grads[k]

    def edge_rule(self, node: Value, k: int, names: dict[Value, str], notation: str = "plain",
                  whole: bool = True) -> str:
        factor = self.factor(node, k)
        paired = k < 2 * node._consts[0]
        local = _name(names, factor, "the other factor") if paired else format_constant(factor)  # type: ignore[arg-type]
        return f"∂{self}(...)/∂{_name(names, edges(node)[0][k], 'x_i')} = {local}" if whole else local

    def value_local_grads(self, node: Value) -> tuple[Value | float, ...]:
        return tuple(self.factor(node, k) for k in range(len(edges(node)[0])))

    def evaluate(self, node: Value, value: Callable[[Any], float]) -> float:
        return node._consts[1] + sum(value(a) * value(b) for a, b in self.products(node))

    def forward_code(self, node: Value, operand: Callable[[Any], str]) -> list[str] | str:
        constant = node._consts[1]
        terms = [operand(a) if isinstance(b, float) and b == 1.0 else f"{operand(a)} * {operand(b)}"
                 for a, b in self.products(node)]
        return terms + ([operand(constant)] if constant else []) or ["0.0"]

    def derivative_code(self, node: Value, k: int, operand: Callable[[Any], str], out: str) -> str:
        return operand(self.factor(node, k))

    def written(self, node: Value, name: Callable[[Value], str], constant: Callable[[Any], str],
                notation: Writing, plain: bool) -> str:
        """The weighted sum it is: ``w1*x1 + w2*0.5 + b``, long ones abbreviated."""
        rest = node._consts[1]
        terms = [name(a) if isinstance(b, float) and b == 1.0
                 else notation.infix(name(a), "*", constant(b) if isinstance(b, float) else name(b))
                 for a, b in self.products(node)]
        if rest:
            terms.append(constant(rest))
        if len(terms) > self.MAX_TERMS:
            terms = [*terms[:2], f"... ({len(terms) - 3} more)", terms[-1]]
        return " + ".join(terms) if terms else constant(0.0)


class CustomOp(Op):
    """An op a learner made with ``custom_op``: its forward and derivatives are Python functions.
    Its node records all its arguments (Values and numbers) in their order."""

    custom = True
    float_derivative: Callable[..., Any]
    value_derivative: Callable[..., Any] | None

    def arguments(self, node: Value) -> tuple[list[Any], tuple[Any, ...]]:
        return list(node._consts), ()

    def value_positions(self, node: Value) -> list[int]:
        parents = edges(node)[0]
        positions: list[int] = []
        for i, arg in enumerate(node._consts):
            if len(positions) < len(parents) and arg is parents[len(positions)]:
                positions.append(i)
        return positions

    def value_local_grads(self, node: Value) -> tuple[Value | float, ...]:
        if self.value_derivative is None:
            raise NotDifferentiableAgainError(
                f"custom op {self.name!r} has no derivative built from Values: pass "
                f"value_derivative= to custom_op (the same rule written with Value ops) to differentiate it again")
        derivatives = self.value_derivative(*node._consts, out=node)
        values = set(self.value_positions(node))
        return tuple(d for i, d in enumerate(derivatives) if i in values)

    def forward_code(self, node: Value, operand: Callable[[Any], str]) -> list[str] | str:
        raise NotCompilableError(f"custom op {self.name!r} cannot be written as code: its forward is a Python "
                                 "function, not an expression of the op table; write the graph without it")

    def derivative_code(self, node: Value, k: int, operand: Callable[[Any], str], out: str) -> str:
        return str(self.forward_code(node, operand))


def substitute(expression: str, values: dict[str, str]) -> str:
    """A table expression with its names replaced (not ``math.`` attributes, not calls).

    >>> substitute("1.0 - out * out", {"out": "v3"}), substitute("math.log(x)", {"x": "a"})
    ('1.0 - v3 * v3', 'math.log(a)')
    """
    return re.sub(r"(?<![\w.])([A-Za-z_]\w*)\b(?!\s*\()", lambda m: values.get(m[1], m[1]), expression)


class _ValueMath:
    """``math`` for derivative expressions evaluated on Values: ``math.cos(v)`` is ``v.cos()``."""

    def __getattr__(self, name: str) -> Any:
        on_floats = getattr(math, name)

        def dispatch(x: Any, *rest: Any) -> Any:
            return on_floats(x, *rest) if isinstance(x, numbers.Real) else getattr(x, name)(*rest)

        found = dispatch if callable(on_floats) else on_floats
        setattr(self, name, found)  # looked up once
        return found


def _data(x: Any) -> float:
    return float(x) if isinstance(x, numbers.Real) else x.data


def _pow_base_derivative(a: Any, b: Any, out: Any) -> Any:
    """d(a ** b)/da on Values: ``b * a ** (b - 1)``, branch for branch the float rule (``b * (out / a)`` where
    a^(b-1) would overflow, the special values at 0)."""
    if _data(b) == 0:
        return 0.0
    if _data(b) >= 1 or not -1.0 < _data(a) < 1.0:
        return b * a ** (b - 1)
    return b * (out / a) if _data(a) != 0 else math.inf


def _pow_exponent_derivative(a: Any, out: Any) -> Any:
    """d(a ** b)/db on Values: ``a ** b * ln a``; 0 at a = 0 and NaN below, as the float rule (a NaN node,
    so that every higher derivative is NaN too, as in PyTorch, not the 0 of a constant)."""
    if _data(a) > 0:
        return out * _VALUE_MATH.log(a)
    return 0.0 if _data(a) == 0 else out * math.nan


_VALUE_MATH = _ValueMath()
# What the table's derivative expressions may name when they are evaluated on Values.
VALUE_NAMESPACE = {"math": _VALUE_MATH, "pow_base_derivative": _pow_base_derivative,
                   "pow_exponent_derivative": _pow_exponent_derivative,
                   "floor_divide": lambda a, b: _data(a) // _data(b)}


def unary(name: str, forward: str, derivative: str, rule: str, latex_rule: str, *,
          domain: tuple[tuple[str, type, str], ...] = (), overflow: str | None = None,
          params: tuple[tuple[str, float], ...] = (), value_derivative: str | None = None, except_at: str | None = None,
          latex_name: str | None = None, points: tuple[float, float] = (-3.0, 3.0), method: str | None = None,
          symbol_kind: str = "call", activation: bool = False) -> Op:
    """A table entry for an op of one operand ``x`` (and maybe parameters)."""
    return Op(name, operands=("x",), params=params, forward=forward, derivatives=(derivative,),
              value_derivatives=(value_derivative or derivative,), rules=(rule,), latex_rules=(latex_rule,),
              domain=domain, overflow=overflow, symbol_kind=symbol_kind, method=method or name,
              latex_name=latex_name or rf"\operatorname{{{name}}}", points=points, activation=activation,
              constant_first=False, except_at=except_at)


def binary(name: str, forward: str, derivatives: tuple[str, str], rules: tuple[str, str],
           latex_rules: tuple[str, str], *, method: str, domain: tuple[tuple[str, type, str], ...] = (),
           overflow: str | None = None, value_derivatives: tuple[str, str] | None = None,
           symbol_kind: str = "infix", points: tuple[float, float] = (-3.0, 3.0)) -> Op:
    """A table entry for an op of two operands ``a`` and ``b``; ``method`` is the Value method (``__add__``)."""
    return Op(name, operands=("a", "b"), params=(), forward=forward, derivatives=derivatives,
              value_derivatives=value_derivatives or derivatives, rules=rules, latex_rules=latex_rules,
              domain=domain, overflow=overflow, symbol_kind=symbol_kind, method=method,
              latex_name=rf"\operatorname{{{name}}}", points=points, activation=False,
              constant_first=False)


def nary(kind: type[Op], name: str, operands: tuple[str, ...], rules: tuple[str, ...], latex_rules: tuple[str, ...],
         method: str) -> Op:
    """A table entry for an op of any number of operands (``SumOp``, ``DotOp``); its forward is in ``value.py``."""
    return kind(name, operands=operands, params=(), forward="", derivatives=(), value_derivatives=(),
              rules=rules, latex_rules=latex_rules, domain=(), overflow=None, symbol_kind="nary",
              method=method, latex_name=rf"\operatorname{{{name}}}", points=(-3.0, 3.0), activation=False,
              constant_first=False)


LN2 = repr(math.log(2.0))
LN10 = repr(math.log(10.0))
OVERFLOWS = "{op} overflows a float at x={x}"

TABLE: tuple[Op, ...] = (
    # ---- arithmetic ----
    binary("+", "a + b", ("1.0", "1.0"), ("1", "1"), ("1", "1"), method="__add__"),
    binary("-", "a - b", ("1.0", "-1.0"), ("1", "-1"), ("1", "-1"), method="__sub__"),
    binary("*", "a * b", ("b", "a"), ("$b", "$a"), ("$b", "$a"), method="__mul__"),
    # d(a/b)/db is -a/b^2 but computed as -out/b (as PyTorch does): b^2 under- or overflows long before
    # a/b does, and squares again at every order of create_graph.
    binary("/", "a / b", ("1.0 / b", "-out / b"), ("1/$b", "-$a/$b^2"),
           (r"\frac{1}{$b}", r"-\frac{$a}{$b^{2}}"), method="__truediv__",
           domain=(("b != 0", ZeroDivisionError, "'/' divides by zero: {a} / {b}"),)),
    binary("**", "a ** b",
           # b * a^(b-1) as PyTorch and a student write it (with a constant b, generated code folds it to 2.0 * a);
           # where a^(b-1) could overflow (|a| < 1, b < 1) as b * (out / a), which cannot raise.
           ("0.0 if b == 0 else b * a ** (b - 1.0) if b >= 1 or not -1.0 < a < 1.0 else b * (out / a) if a != 0"
            " else math.inf",
            "out * math.log(a) if a > 0 else 0.0 if a == 0 else math.nan"),
           ("$b * $a^($b - 1)", "$a^$b * ln($a)"),
           (r"$b \cdot {$a}^{$b - 1}", r"{$a}^{$b} \ln $a"), method="__pow__",
           value_derivatives=("pow_base_derivative(a, b, out)", "pow_exponent_derivative(a, out)"),
           domain=(("a != 0 or b >= 0", ZeroDivisionError, "'**' raises zero to a negative power: {a} ** {b}"),
                   ("a >= 0 or b.is_integer()", ValueError,
                    "'**' of a negative base needs an integer exponent, got {a} ** {b}")),
           overflow="'**' overflows a float: {a} ** {b}", points=(0.2, 2.5)),
    binary("%", "a % b", ("1.0", "-(a // b)"), ("1", "-floor($a/$b)"),
           ("1", r"-\left\lfloor \frac{$a}{$b} \right\rfloor"), method="__mod__",
           value_derivatives=("1.0", "-floor_divide(a, b)"),
           domain=(("b != 0", ZeroDivisionError, "'%' divides by zero: {a} % {b}"),)),
    binary("maximum", "a if a >= b else b",
           ("1.0 if a > b else 0.0 if a < b else 0.5", "1.0 if b > a else 0.0 if b < a else 0.5"),
           ("1 if $a > $b, 1/2 if $a = $b, else 0", "1 if $b > $a, 1/2 if $a = $b, else 0"),
           (r"[$a > $b] + \tfrac{1}{2}[$a = $b]", r"[$b > $a] + \tfrac{1}{2}[$a = $b]"),
           method="_maximum", symbol_kind="call"),
    binary("minimum", "a if a <= b else b",
           ("1.0 if a < b else 0.0 if a > b else 0.5", "1.0 if b < a else 0.0 if b > a else 0.5"),
           ("1 if $a < $b, 1/2 if $a = $b, else 0", "1 if $b < $a, 1/2 if $a = $b, else 0"),
           (r"[$a < $b] + \tfrac{1}{2}[$a = $b]", r"[$b < $a] + \tfrac{1}{2}[$a = $b]"),
           method="_minimum", symbol_kind="call"),
    unary("neg", "-x", "-1.0", "-1", "-1", method="__neg__", symbol_kind="prefix"),
    unary("abs", "abs(x)", "(x > 0) - (x < 0) + 0.0", "sign($x) (0 at 0)", r"\operatorname{sign}($x)",
          method="__abs__"),
    # ---- exponentials and logarithms ----
    unary("exp", "math.exp(x)", "out", "exp($x)", r"e^{$x}", latex_name=r"\exp",
          overflow=OVERFLOWS + " (it is finite for x < 709.78)", points=(-5.0, 5.0)),
    unary("log", "math.log(x)", "1.0 / x", "1/$x", r"\frac{1}{$x}", latex_name=r"\ln",
          domain=(("x > 0", ValueError, "log needs x > 0, got {x}"),), points=(0.1, 5.0)),
    unary("log2", "math.log2(x)", f"1.0 / (x * {LN2})", "1/($x ln 2)", r"\frac{1}{$x \ln 2}",
          latex_name=r"\log_2", domain=(("x > 0", ValueError, "log2 needs x > 0, got {x}"),), points=(0.1, 5.0)),
    unary("log10", "math.log10(x)", f"1.0 / (x * {LN10})", "1/($x ln 10)", r"\frac{1}{$x \ln 10}",
          latex_name=r"\log_{10}", domain=(("x > 0", ValueError, "log10 needs x > 0, got {x}"),),
          points=(0.1, 5.0)),
    unary("log1p", "math.log1p(x)", "1.0 / (1.0 + x)", "1/(1 + $x)", r"\frac{1}{1 + $x}",
          domain=(("x > -1", ValueError, "log1p needs x > -1, got {x}"),), points=(-0.9, 5.0)),
    unary("expm1", "math.expm1(x)", "out + 1.0", "exp($x)", r"e^{$x}", overflow=OVERFLOWS, points=(-5.0, 5.0)),
    unary("sqrt", "math.sqrt(x)", "0.5 / out if out > 0 else math.inf", "1/(2 sqrt($x))",
          r"\frac{1}{2\sqrt{$x}}", domain=(("x >= 0", ValueError, "sqrt needs x >= 0, got {x}"),),
          points=(0.1, 5.0)),
    # ---- activations ----
    unary("tanh", "math.tanh(x)", "1.0 - out * out", "1 - tanh($x)^2", r"1 - \tanh^{2} $x",
          latex_name=r"\tanh", activation=True),
    unary("sigmoid", "1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))",
          "out * (1.0 - out)", "sigmoid($x) (1 - sigmoid($x))", r"\sigma($x)\left(1 - \sigma($x)\right)",
          latex_name=r"\sigma", activation=True, points=(-6.0, 6.0)),
    unary("relu", "x if x > 0 else 0.0", "1.0 if x > 0 else 0.0", "1 if $x > 0, else 0", r"[$x > 0]",
          activation=True),
    unary("leaky_relu", "x if x > 0 else slope * x", "1.0 if x > 0 else slope", "1 if $x > 0, else $slope",
          r"[$x > 0] + $slope\,[$x \le 0]", params=(("slope", 0.01),), activation=True),
    unary("softplus", "max(x, 0.0) + math.log1p(math.exp(-abs(x)))", "-math.expm1(-out)",
          "sigmoid($x) = 1 - exp(-softplus($x))", r"\sigma($x)", activation=True, points=(-6.0, 6.0)),
    unary("clamp", "min(max(x, lo), hi)",
          "1.0 if lo <= x <= hi else 0.0", "1 if $lo <= $x <= $hi, else 0", r"[$lo \le $x \le $hi]",
          params=(("lo", -math.inf), ("hi", math.inf)),
          domain=(("lo <= hi", ValueError, "clamp needs lo <= hi, got lo={lo} and hi={hi}"),)),
    # ---- trigonometric and hyperbolic ----
    unary("sin", "math.sin(x)", "math.cos(x)", "cos($x)", r"\cos $x", latex_name=r"\sin"),
    unary("cos", "math.cos(x)", "-math.sin(x)", "-sin($x)", r"-\sin $x", latex_name=r"\cos"),
    unary("tan", "math.tan(x)", "1.0 + out * out", "1 + tan($x)^2", r"1 + \tan^{2} $x", latex_name=r"\tan",
          points=(-1.4, 1.4), except_at="pi/2 + k pi"),
    unary("asin", "math.asin(x)", "1.0 / math.sqrt(1.0 - x * x) if -1.0 < x < 1.0 else math.inf",
          "1/sqrt(1 - $x^2)", r"\frac{1}{\sqrt{1 - $x^{2}}}", latex_name=r"\arcsin",
          domain=(("-1 <= x <= 1", ValueError, "asin needs -1 <= x <= 1, got {x}"),), points=(-0.95, 0.95)),
    unary("acos", "math.acos(x)", "-1.0 / math.sqrt(1.0 - x * x) if -1.0 < x < 1.0 else -math.inf",
          "-1/sqrt(1 - $x^2)", r"-\frac{1}{\sqrt{1 - $x^{2}}}", latex_name=r"\arccos",
          domain=(("-1 <= x <= 1", ValueError, "acos needs -1 <= x <= 1, got {x}"),), points=(-0.95, 0.95)),
    unary("atan", "math.atan(x)", "1.0 / (1.0 + x * x)", "1/(1 + $x^2)", r"\frac{1}{1 + $x^{2}}",
          latex_name=r"\arctan"),
    unary("sinh", "math.sinh(x)", "math.cosh(x)", "cosh($x)", r"\cosh $x", latex_name=r"\sinh",
          overflow=OVERFLOWS),
    unary("cosh", "math.cosh(x)", "math.sinh(x)", "sinh($x)", r"\sinh $x", latex_name=r"\cosh",
          overflow=OVERFLOWS),
    # ---- n-ary: one node however many operands (forward and fast paths in value.py) ----
    nary(SumOp, "sum", ("x_i",), ("1",), ("1",), method="sum"),
    nary(DotOp, "dot", ("x_i", "y_i"), ("$y_i", "$x_i"), ("$y_i", "$x_i"), method="dot"),
)

BY_NAME: dict[str, Op] = {op.name: op for op in TABLE}

# A leaf's op: no operands and no rule; it equals '' and is false, as an empty symbol should be.
LEAF = Op("", operands=(), params=(), forward="", derivatives=(), value_derivatives=(), rules=(), latex_rules=(),
          domain=(), overflow=None, symbol_kind="leaf", method="", latex_name="", points=(-3.0, 3.0),
          activation=False, constant_first=False)

# Functions a learner may call by name in an expression (the CLI), with how many arguments they take.
ARITIES: dict[str, tuple[int, int]] = {
    op.name: (len(op.operands), len(op.operands) + len(op.params)) for op in TABLE if op.symbol_kind == "call"
}


def activations() -> list[Op]:
    """The ops nn may use as a neuron's activation.

    >>> [op.name for op in activations()]
    ['tanh', 'sigmoid', 'relu', 'leaky_relu', 'softplus']
    """
    return [op for op in TABLE if op.activation]


def cheat_sheet() -> str:
    """The table as a page for a class: each op, its derivative rule(s) and its domain.

    >>> cheat_sheet().splitlines()[0].split()
    ['op', 'derivative', 'domain']
    """
    rows = [("op", "derivative", "domain")]
    for op in TABLE:
        if op.symbol_kind == "nary":  # Python only: an expression writes them as + and *
            continue
        for k in range(len(op.rules)):
            rows.append((op.name if k == 0 else "", op.rule(k), op.domain_text() if k == 0 else ""))
    width = [max(len(row[i]) for row in rows) + 2 for i in range(2)]
    return "\n".join(f"{a:<{width[0]}}{b:<{width[1]}}{c}".rstrip() for a, b, c in rows) + (
        "\n\nIn Python also Value.sum(terms) and Value.dot(xs, ys), one node each (in an expression: + and *).")
