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
import re
from collections.abc import Callable
from typing import Any

from .formatting import bracketed

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


class Op(str):
    """One op of the table. The object is the op's symbol (``node.op == "tanh"``) and carries its rules.

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
    custom: bool
    # a custom op's own functions (custom_op's arguments); table entries have none
    float_forward: Callable[..., float]
    float_derivative: Callable[..., Any]
    value_derivative: Callable[..., Any] | None

    def __new__(cls, name: str, **fields: Any) -> Op:
        op = str.__new__(cls, name)
        op.__dict__.update(fields)
        return op

    def with_constant_first(self) -> Op:
        """The same op recorded for ``c op x``: a twin whose constant is the left operand."""
        return Op(str(self), **{**self.__dict__, "constant_first": True})

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
        """Where the op is defined, as the table's conditions: ``x > 0``, or ``all real x``."""
        if not self.domain:
            return "all real " + " and ".join(self.operands)
        return "; ".join(condition for condition, _, _ in self.domain)


def unary(name: str, forward: str, derivative: str, rule: str, latex_rule: str, *,
          domain: tuple[tuple[str, type, str], ...] = (), overflow: str | None = None,
          params: tuple[tuple[str, float], ...] = (), value_derivative: str | None = None,
          latex_name: str | None = None, points: tuple[float, float] = (-3.0, 3.0), method: str | None = None,
          symbol_kind: str = "call", activation: bool = False) -> Op:
    """A table entry for an op of one operand ``x`` (and maybe parameters)."""
    return Op(name, operands=("x",), params=params, forward=forward, derivatives=(derivative,),
              value_derivatives=(value_derivative or derivative,), rules=(rule,), latex_rules=(latex_rule,),
              domain=domain, overflow=overflow, symbol_kind=symbol_kind, method=method or name,
              latex_name=latex_name or rf"\operatorname{{{name}}}", points=points, activation=activation,
              constant_first=False, custom=False)


def binary(name: str, forward: str, derivatives: tuple[str, str], rules: tuple[str, str],
           latex_rules: tuple[str, str], *, method: str, domain: tuple[tuple[str, type, str], ...] = (),
           overflow: str | None = None, value_derivatives: tuple[str, str] | None = None,
           symbol_kind: str = "infix", points: tuple[float, float] = (-3.0, 3.0)) -> Op:
    """A table entry for an op of two operands ``a`` and ``b``; ``method`` is the Value method (``__add__``)."""
    return Op(name, operands=("a", "b"), params=(), forward=forward, derivatives=derivatives,
              value_derivatives=value_derivatives or derivatives, rules=rules, latex_rules=latex_rules,
              domain=domain, overflow=overflow, symbol_kind=symbol_kind, method=method,
              latex_name=rf"\operatorname{{{name}}}", points=points, activation=False,
              constant_first=False, custom=False)


def nary(name: str, operands: tuple[str, ...], rules: tuple[str, ...], latex_rules: tuple[str, ...],
         method: str) -> Op:
    """A table entry for an op of any number of operands (``sum``, ``dot``); its forward is in ``value.py``."""
    return Op(name, operands=operands, params=(), forward="", derivatives=(), value_derivatives=(),
              rules=rules, latex_rules=latex_rules, domain=(), overflow=None, symbol_kind="nary",
              method=method, latex_name=rf"\operatorname{{{name}}}", points=(-3.0, 3.0), activation=False,
              constant_first=False, custom=False)


LN2 = repr(math.log(2.0))
LN10 = repr(math.log(10.0))
OVERFLOWS = "{op} overflows a float at x={x}"

TABLE: tuple[Op, ...] = (
    # ---- arithmetic ----
    binary("+", "a + b", ("1.0", "1.0"), ("1", "1"), ("1", "1"), method="__add__"),
    binary("-", "a - b", ("1.0", "-1.0"), ("1", "-1"), ("1", "-1"), method="__sub__"),
    binary("*", "a * b", ("b", "a"), ("$b", "$a"), ("$b", "$a"), method="__mul__"),
    binary("/", "a / b", ("1.0 / b", "-a / (b * b)"), ("1/$b", "-$a/$b^2"),
           (r"\frac{1}{$b}", r"-\frac{$a}{$b^{2}}"), method="__truediv__",
           domain=(("b != 0", ZeroDivisionError, "'/' divides by zero: {a} / {b}"),)),
    binary("**", "a ** b",
           ("0.0 if b == 0 else b * out / a if a != 0 else math.inf if b < 1 else float(b == 1)",
            "out * math.log(a) if a > 0 else 0.0 if a == 0 else math.nan"),
           ("$b * $a^($b - 1)", "$a^$b * ln($a)"),
           (r"$b \cdot {$a}^{$b - 1}", r"{$a}^{$b} \ln $a"), method="__pow__",
           value_derivatives=("pow_base_derivative(a, b)", "pow_exponent_derivative(a, out)"),
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
          params=(("lo", -math.inf), ("hi", math.inf))),
    # ---- trigonometric and hyperbolic ----
    unary("sin", "math.sin(x)", "math.cos(x)", "cos($x)", r"\cos $x", latex_name=r"\sin"),
    unary("cos", "math.cos(x)", "-math.sin(x)", "-sin($x)", r"-\sin $x", latex_name=r"\cos"),
    unary("tan", "math.tan(x)", "1.0 + out * out", "1 + tan($x)^2", r"1 + \tan^{2} $x", latex_name=r"\tan",
          points=(-1.4, 1.4)),
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
    nary("sum", ("x_i",), ("1",), ("1",), method="sum"),
    nary("dot", ("x_i", "y_i"), ("$y_i", "$x_i"), ("$y_i", "$x_i"), method="dot"),
)

BY_NAME: dict[str, Op] = {op.name: op for op in TABLE}

# A leaf's op: no operands and no rule; it equals '' and is false, as an empty symbol should be.
LEAF = Op("", operands=(), params=(), forward="", derivatives=(), value_derivatives=(), rules=(), latex_rules=(),
          domain=(), overflow=None, symbol_kind="leaf", method="", latex_name="", points=(-3.0, 3.0),
          activation=False, constant_first=False, custom=False)

# Functions a learner may call by name in an expression (the CLI), with how many arguments they take.
FUNCTIONS: dict[str, tuple[int, int]] = {
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
        for k in range(len(op.rules)):
            rows.append((op.name if k == 0 else "", op.rule(k), op.domain_text() if k == 0 else ""))
    width = [max(len(row[i]) for row in rows) + 2 for i in range(2)]
    return "\n".join(f"{a:<{width[0]}}{b:<{width[1]}}{c}".rstrip() for a, b, c in rows)
