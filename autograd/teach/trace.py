"""How a backward pass reads: each step's chain-rule lines (text, LaTeX, MathML) and the whole pass explained."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..engine.formatting import bracketed, format_number
from ..engine.graph import scratch_grads, topological_order
from ..engine.steps import BackwardStep, backward_steps
from .naming import PLAIN, Latex, Notation, defining_formula, node_names

if TYPE_CHECKING:
    from ..engine.value import Value


def step_lines(step: BackwardStep, notation: Notation | None = None) -> list[str]:
    """One chain-rule line per edge of a step, in plain text or (a ``Latex`` notation) LaTeX.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * 2; y.label = "y"
    >>> step_lines(next(y.backward_steps()))
    ['dy/dx += dy/dy · ∂y/∂x = 1.0 · 2.0 = 2.0']
    """
    n = notation or PLAIN
    root, node = n.name(step.root_name), n.name(step.node_name)
    fmt = lambda x: n.number(format_number(x, step.digits))
    factor = lambda x: rf"\left({fmt(x)}\right)" if isinstance(n, Latex) and x < 0 else fmt(x)
    plus_equals = r"\mathrel{+}=" if isinstance(n, Latex) else "+="
    out = []
    for e in step.edges:
        parent = n.name(e.parent_name)
        line = (
            f"{n.derivative(root, parent)} {plus_equals} {n.derivative(root, node)} {n.times()} "
            f"{n.partial(node, parent)} = {fmt(step.upstream)} {n.times()} {factor(e.local)} = {fmt(e.contribution)}"
        )
        if e.grad_after != e.contribution:
            if isinstance(n, Latex):
                line += rf"\quad \text{{(now {fmt(e.grad_after)})}}"
            else:
                line += f"  ({n.derivative(root, parent)} is now {fmt(e.grad_after)})"
        out.append(line)
    return out


def step_markdown(step: BackwardStep) -> str:
    """The step's chain-rule lines as display math, for a notebook.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * 2; y.label = "y"
    >>> step_markdown(next(y.backward_steps())).startswith("$$")
    True
    """
    notation = Latex.for_names(step.names[node] for node in topological_order(step.root))
    return "\n\n".join(f"$${line}$$" for line in step_lines(step, notation))


def step_mathml(step: BackwardStep) -> str:
    """The step's chain-rule lines as MathML, one ``<math>`` per edge; every name escaped.

    >>> from autograd import Value
    >>> x = Value(3.0, "x"); y = x * 2; y.label = "<y>"
    >>> "&lt;y&gt;" in step_mathml(next(y.backward_steps())) and "<y>" not in step_mathml(next(y.backward_steps()))
    True
    """
    fmt = lambda x: f"<mn>{html.escape(format_number(x, step.digits))}</mn>"

    def fraction(d: str, of: str, by: str) -> str:  # d: <mi>d</mi> for a total derivative, <mo>∂</mo> for a local one
        return (f"<mfrac><mrow>{d}<mi>{html.escape(bracketed(of))}</mi></mrow>"
                f"<mrow>{d}<mi>{html.escape(bracketed(by))}</mi></mrow></mfrac>")

    total = lambda of, by: fraction('<mi mathvariant="normal">d</mi>', of, by)
    partial = lambda of, by: fraction("<mo>&#8706;</mo>", of, by)

    root, node = step.root_name, step.node_name
    lines = []
    for e in step.edges:
        lines.append(
            f'<math display="block"><mrow>{total(root, e.parent_name)}<mo>+=</mo>{total(root, node)}'
            f"<mo>&#183;</mo>{partial(node, e.parent_name)}<mo>=</mo>{fmt(step.upstream)}<mo>&#183;</mo>"
            f"{fmt(e.local)}<mo>=</mo>{fmt(e.contribution)}</mrow></math>")
    return "".join(lines)


STYLES = ("text", "markdown", "latex")


class Explanation(str):
    """An explanation: a ``str`` (print it) that a notebook shows as Markdown with math."""

    root: Value
    digits: int

    def _repr_markdown_(self) -> str:
        return explain(self.root, self.digits, "markdown")


class TensorExplanation(Explanation):
    """The tensor view's explanation: a notebook shows it as preformatted text (the matrices line up)."""

    def _repr_markdown_(self) -> str:
        return f"<pre>{html.escape(self)}</pre>"


def explain(root: Value, digits: int = 4, style: str = "text", view: str = "scalar",
            element: tuple | None = None) -> Explanation:
    """The forward pass (one line per node) and the backward pass (one line per edge).

    ``view="tensor"`` explains a loss made with ``autograd.tensor`` one tensor op at a time, in
    matrix form, and ``element=("W", 1, 2)`` adds that element's chain rule as a sum over paths
    (``autograd.teach.tensors.explain_tensors``; text only).

    ``style`` is "text", "markdown" (math in ``$...$``, for notebooks and notes) or "latex"
    (an ``align*`` block for slides). The explanation runs its own backward pass and then
    puts every ``.grad`` back as it was.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = (x * 3).tanh(); y.label = "y"
    >>> print(explain(y))
    notation: dy/dv is the total derivative of y by v (every path from v to y, summed); ∂f/∂v is one node f's local derivative by its input v
    forward
      x = 2.0
      x*3 = 6.0
      y = tanh(x*3) = 1.0
    backward: the chain rule from y back to the inputs, dy/dy = 1
      dy/d(x*3) += dy/dy · ∂y/∂(x*3) = 1.0 · 2.458e-05 = 2.458e-05
      dy/dx += dy/d(x*3) · ∂(x*3)/∂x = 2.458e-05 · 3.0 = 7.373e-05
    gradients
      dy/dx = 7.373e-05
    >>> print(explain(y, style="latex").splitlines()[5])
    y &= \\tanh\\left(\\left(x \\cdot 3\\right)\\right) = 1.0 \\\\
    """
    if view != "scalar":
        if view != "tensor":
            raise ValueError(f"explain view must be 'scalar' (one line per edge) or 'tensor' (one tensor op at a time), got {view!r}")
        from .tensors import explain_tensors  # the tensor view loads when asked for: the CLI starts without it

        tensor_text = TensorExplanation(explain_tensors(root, digits, element))
        tensor_text.root, tensor_text.digits = root, digits
        return tensor_text
    if element is not None:
        raise ValueError("element= picks a tensor's element: it goes with view='tensor'")
    if style not in STYLES:
        raise ValueError(f"explain style must be one of {', '.join(STYLES)}, got {style!r}")
    names = node_names(root)
    n = Latex.for_names(names.values()) if style in ("markdown", "latex") else PLAIN
    fmt = lambda x: n.number(format_number(x, digits))
    forward = forward_rows(root, names, digits, n)
    with scratch_grads(root) as order:
        backward = [line for step in backward_steps(root, digits=digits) for line in step.lines(n)]
        leaves = [node for node in reversed(order) if not node.op and node is not root]
        gradients = [(n.derivative(n.name(names[root]), n.name(names[leaf])), fmt(leaf.grad)) for leaf in leaves]
    text = Explanation(_layout(style, n.name(names[root]), forward, backward, gradients, notation_line(names[root], n)))
    text.root, text.digits = root, digits
    return text


def forward_rows(root: Value, names: dict[Value, str], digits: int = 4,
                 notation: Notation = PLAIN) -> list[tuple[str, str]]:
    """(name, how it was computed and its value) for every node, leaves and early ops first.

    >>> from autograd import Value
    >>> x = Value(2.0, "x"); y = x * 3
    >>> forward_rows(y, node_names(y))
    [('x', '2.0'), ('x*3', '6.0')]
    """
    fmt = lambda x: notation.number(format_number(x, digits))
    rows = []
    for node in reversed(topological_order(root)):
        made = defining_formula(node, names, digits, notation)  # "" for x*w: not x*w = x * w = -6.0
        rows.append((notation.name(names[node]), f"{made} = {fmt(node.data)}" if made else fmt(node.data)))
    return rows


def notation_line(root: str, notation: Notation = PLAIN) -> str:
    """The sentence an explanation opens with: which derivative is written with d and which with ∂.

    >>> print(notation_line("L"))
    notation: dL/dv is the total derivative of L by v (every path from v to L, summed); ∂f/∂v is one node f's local derivative by its input v
    """
    n = notation
    math = (lambda text: f"${text}$") if isinstance(n, Latex) else (lambda text: text)
    y, v, f = math(n.name(root)), math("v"), math("f")
    return (f"notation: {math(n.derivative(n.name(root), 'v'))} is the total derivative of {y} by {v} "
            f"(every path from {v} to {y}, summed); {math(n.partial('f', 'v'))} is one node {f}'s local "
            f"derivative by its input {v}")


def _layout(style: str, root: str, forward: list, backward: list, gradients: list, notation: str = "") -> str:
    if style == "text":
        return "\n".join([
            notation,
            "forward", *(f"  {name} = {shown}" for name, shown in forward),
            f"backward: the chain rule from {root} back to the inputs, d{root}/d{root} = 1",
            *(f"  {line}" for line in backward),
            "gradients", *(f"  {name} = {value}" for name, value in gradients),
        ])
    if style == "markdown":
        return "\n".join([
            notation.replace("notation:", "*Notation*:", 1), "",
            "**Forward**", "", *(f"- ${name} = {shown}$" for name, shown in forward), "",
            f"**Backward**: the chain rule from ${root}$ back to the inputs", "",
            *(f"{k}. ${line}$" for k, line in enumerate(backward, start=1)), "",
            "**Gradients**", "", *(f"- ${name} = {value}$" for name, value in gradients),
        ])
    rows = [f"{name} &= {shown} \\\\" for name, shown in forward]
    rows += [r"\intertext{backward: the chain rule}"] + [f"&{line} \\\\" for line in backward]
    rows += [r"\intertext{gradients}"] + [f"{name} &= {value} \\\\" for name, value in gradients]
    return "\n".join([notation.replace("notation:", "Notation:", 1), "", r"\begin{align*}", *rows, r"\end{align*}"])
