"""Names and formulas for nodes, shared by explanations, pictures and the player.

A node is called by its label when it has one; an unlabelled op node by what it computes
when that is short (``x*w``, ``tanh(n)``); anything else by ``v<k>``, numbered in forward
order. Two nodes never share a name: a repeated one gets a suffix (``x``, ``x#2``). Number
operands are not nodes; each node keeps its constants exactly, and ``formula`` shows them
as they were written.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable

from ..engine import labels as parameter_labels
from ..engine.formatting import bracketed, format_constant, format_number, is_plain_name
from ..engine.graph import topological_order
from ..engine.ops import BY_NAME
from ..engine.value import Value

MAX_AUTO_NAME = 14  # characters: a longer formula is a poor name, v<k> is used instead


def node_names(root: Value) -> dict[Value, str]:
    """Every node under ``root`` mapped to a distinct name, in forward order.

    A label is the name; an unlabelled op node is named by its formula when that is short
    (up to 14 characters); any other node ``v<k>``. A name met again gets ``#2``, ``#3``...

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); w = Value(-3.0, "w"); also_x = Value(1.0, "x")
    >>> names = node_names(((x * w + also_x) * 3).tanh())
    >>> list(names.values())
    ['x', 'w', 'x*w', 'x#2', 'x*w + x#2', '(x*w + x#2)*3', 'v6']
    """
    names: dict[Value, str] = {}
    taken: set[str] = set()
    for k, node in enumerate(reversed(topological_order(root))):
        name = shown_label(node.label) if node.label else _auto_name(node, names, k)
        if name in taken:
            name = next(f"{name}#{n}" for n in range(2, len(taken) + 3) if f"{name}#{n}" not in taken)
        taken.add(name)
        names[node] = name
    return names


MAX_LABEL = 60  # characters of a label shown: a longer one is cut (a suffix keeps names distinct)


def shown_label(label: str) -> str:
    """A label as text shows it: control characters escaped (a newline or a terminal escape
    never splits a line or reaches the terminal raw), and at most 60 characters.

    >>> shown_label("x\\n1"), shown_label("\\x1b[31mred"), shown_label("w" * 70)[-3:]
    ('x\\\\n1', '\\\\x1b[31mred', 'ww…')
    """
    if not label.isprintable():
        label = "".join(c if c.isprintable() else repr(c)[1:-1] for c in label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def neuron_of(node: Value) -> str | None:
    """The neuron whose weighted sum ``node`` is (``L1.n3``), read from nn's labels on its parameters.

    >>> from autograd import Value
    >>> w = [Value(0.5, "L1.n3.w1"), Value(-1.0, "L1.n3.w2")]
    >>> neuron_of(Value.dot(w, [1.0, 2.0], start=Value(0.0, "L1.n3.b")))
    'L1.n3'
    """
    if not node.op.sums_products:
        return None
    owners = {owner for p in node.parents if (owner := parameter_labels.owner(p.label))}
    return owners.pop() if len(owners) == 1 else None


def _auto_name(node: Value, names: dict[Value, str], k: int) -> str:
    """The node's formula when it is short (``x*w + b``, ``tanh(x*w)``, brackets only where
    precedence needs them); a neuron's weighted sum is named for its neuron (``L1.n3``)."""
    neuron = neuron_of(node)
    if neuron is not None:
        return neuron
    if node.op:
        text = compact(formula(node, names))
        if len(text) <= MAX_AUTO_NAME:
            return text
    return f"v{k}"


def compact(text: str) -> str:
    """A formula written tight enough to be a name: ``x * w`` -> ``x*w``."""
    return text.replace(" * ", "*").replace(" / ", "/").replace(" ** ", "**")


class Notation:
    """How formulas are written: plain text (``x * w``, ``tanh(n)``). ``Latex`` overrides it."""

    def infix(self, a: str, op: str, b: str) -> str:
        return f"{a} {op} {b}"

    def call(self, function: str, args: list[str]) -> str:
        return f"{function}({', '.join(args)})"

    def name(self, name: str) -> str:
        return name

    def number(self, text: str) -> str:
        return text

    def derivative(self, of: str, by: str) -> str:
        """A total derivative, every path summed (the root's gradient): ``dy/dx``."""
        return f"d{bracketed(of)}/d{bracketed(by)}"

    def partial(self, of: str, by: str) -> str:
        """The local derivative of one node by one of its parents: ``∂y/∂x``."""
        return f"∂{bracketed(of)}/∂{bracketed(by)}"

    def times(self) -> str:
        return "·"


class Latex(Notation):
    """Formulas for LaTeX (and Markdown with math): ``x \\cdot w``, ``\\tanh\\left(n\\right)``.

    ``w1`` is written ``w_{1}``, and so is ``w_1``. In a graph that has both, ``Latex.for_names``
    writes each of them as typed (``\\mathrm{w1}``, ``\\mathrm{w\\_1}``) so two nodes never share a
    name on the page.
    """

    def __init__(self, literal: frozenset[str] = frozenset()):
        self.literal = literal  # names whose math form another name also has: written as typed

    @classmethod
    def for_names(cls, names: Iterable[str]) -> Latex:
        """The notation for a graph whose node names are ``names``: no two of them merge.

        >>> notation = Latex.for_names(["x1", "x_1", "w1"])
        >>> notation.name("x1"), notation.name("x_1"), notation.name("w1")
        ('\\\\mathrm{x1}', '\\\\mathrm{x\\\\_1}', 'w_{1}')
        """
        by_math: dict[str, set[str]] = {}
        for name in names:
            by_math.setdefault(LATEX.name(name), set()).add(name)
        return cls(frozenset(name for same in by_math.values() if len(same) > 1 for name in same))

    def infix(self, a: str, op: str, b: str) -> str:
        if op == "*":
            return rf"{a} \cdot {b}"
        if op == "/":
            return rf"\frac{{{a}}}{{{b}}}"
        if op == "**":
            return rf"{{{a}}}^{{{b}}}"
        if op == "%":
            return rf"{a} \bmod {b}"
        return f"{a} {op} {b}"

    def call(self, function: str, args: list[str]) -> str:
        if function == "sqrt":
            return rf"\sqrt{{{args[0]}}}"
        if function == "abs":
            return rf"\left\lvert {args[0]} \right\rvert"
        name = getattr(function, "latex_name", None) or rf"\operatorname{{{_escape(function)}}}"  # an op knows its own
        return rf"{name}\left({', '.join(args)}\right)"

    def name(self, name: str) -> str:
        """``w1`` -> ``w_{1}``, ``w_h`` -> ``w_{h}``; longer names upright; a formula name as math."""
        if name and not is_plain_name(name):
            return rf"\left({self._formula_name(name)}\right)"
        if name in self.literal:
            return rf"\mathrm{{{_escape(name)}}}"
        match = re.fullmatch(rf"({GREEK}|[A-Za-z])(?:_([A-Za-z0-9]+)|([0-9]+))?", name)
        if match:
            index = match[2] or match[3]
            letter = f"\\{match[1]} " if len(match[1]) > 1 else match[1]
            return letter.rstrip() + (f"_{{{index}}}" if index else "")
        return rf"\mathrm{{{_escape(name)}}}"

    def _formula_name(self, name: str) -> str:
        """An auto-name like ``x*w1`` or ``tanh(n)`` in LaTeX: ``x \\cdot w_{1}``, ``\\tanh(n)``."""
        tokens = re.findall(r"[A-Za-z_][\w.#']*|\d+\.?\d*(?:e[+-]?\d+)?|\*\*|\S", name)
        out, close = [], ""
        for k, token in enumerate(tokens):
            if token[0].isalpha() or token[0] == "_":
                following = tokens[k + 1] if k + 1 < len(tokens) else ""
                op = BY_NAME.get(token) if following == "(" else None
                text = op.latex_name if op is not None else self.name(token)
            else:
                text = {"*": r" \cdot ", "**": "^{", "+": " + ", "-": " - ", "/": " / "}.get(token, _escape(token))
            out.append(text + close)
            close = "}" if token == "**" else ""
        return "".join(out) + close

    def number(self, text: str) -> str:
        mantissa, _, exponent = text.partition("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else text

    def derivative(self, of: str, by: str) -> str:
        return rf"\frac{{\mathrm{{d}} {of}}}{{\mathrm{{d}} {by}}}"

    def partial(self, of: str, by: str) -> str:
        return rf"\frac{{\partial {of}}}{{\partial {by}}}"

    def times(self) -> str:
        return r"\cdot"


GREEK = ("alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|upsilon|phi|chi|psi|omega"
         "|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega")
PLAIN = Notation()
LATEX = Latex()


LATEX_SPECIAL = {"\\": r"\backslash{}", "<": r"\lt{}", ">": r"\gt{}"}  # < and >: never markup in Markdown or HTML


def _escape(text: str) -> str:
    """A label as LaTeX text: its specials escaped, so it is data, never markup."""
    return re.sub(r"([\\{}_^#$%&~<>])", lambda m: LATEX_SPECIAL.get(m[1], "\\" + m[1]), text)


def formula(node: Value, names: dict[Value, str], digits: int = 4, notation: Notation = PLAIN) -> str:
    """How ``node`` was computed, in terms of its parents' names: ``x * 3``, ``tanh(n)``.

    Constants and parameters appear exactly as recorded, to ``digits`` significant digits.

    >>> from autograd import Value
    >>> x = Value(2.0, "x")
    >>> y = 1 - x / 4
    >>> formula(y, node_names(y))
    '1 - x/4'
    >>> print(formula(y.parents[0], node_names(y), notation=LATEX))
    \\frac{x}{4}
    """
    op = node.op
    if not op:
        return notation.number(format_number(node.data, digits))
    return op.written(node, lambda v: notation.name(names[v]),
                      lambda c: notation.number(format_constant(c, digits)), notation, notation is PLAIN)


def defining_formula(node: Value, names: dict[Value, str], digits: int = 4, notation: Notation = PLAIN) -> str:
    """The formula that says how ``node`` was made, or "" for a leaf or a node named by that formula.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> names = node_names(y)
    >>> defining_formula(y, names), defining_formula(y.parents[0], names)
    ('tanh(x*3)', '')
    """
    if not node.op or compact(formula(node, names, digits)) == names[node]:
        return ""
    return formula(node, names, digits, notation)


def label_locals() -> dict[str, Value]:
    """Label every unlabelled Value among the caller's local variables with its variable name.

    Works in a function, at a module's top level, in the REPL and in a notebook. Names that
    start with ``_`` (the REPL's ``_``) are left alone. Returns what it labelled.

    >>> from autograd import Value
    >>> def neuron():
    ...     x, w = Value(2.0), Value(-3.0)
    ...     n = x * w
    ...     label_locals()
    ...     return n
    >>> n = neuron(); n.label, n.parents[0].label
    ('n', 'x')
    """
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    if caller is None:
        return {}
    try:
        labelled = {}
        for name, value in list(caller.f_locals.items()):
            if isinstance(value, Value) and not value.label and not name.startswith("_"):
                value.label = name
                labelled[name] = value
        return labelled
    finally:
        del frame, caller  # a frame in a local would keep every local alive in a cycle
