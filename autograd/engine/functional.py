"""Derivatives as values: ``grad`` (to any order), ``hessian``, ``jacobian``, and forward mode (``jvp``).

All of them walk the graph that the forward pass recorded, the one ``backward()`` walks:

- ``grad`` runs the chain rule into a dictionary instead of ``.grad``. With
  ``create_graph=True`` it multiplies each node's local derivatives *built from Values*
  (``autograd.ops``: ``1 - out * out`` for tanh), so the gradients it returns are nodes of a
  new graph that can be stepped, explained, drawn and differentiated again.
- ``jvp`` pushes tangents forward through the same recorded local derivatives, in
  topological order: forward mode on the reverse-mode tape.
- ``mode_costs`` counts the multiply-adds a whole Jacobian costs either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .graph import edges, topological_order, topological_order_of
from .value import Value, as_float, value_local_grads

Values = Value | Sequence[Value]


def _as_list(values: Values, what: str) -> list[Value]:
    listed: list[Any] = [values] if isinstance(values, Value) else list(values) if isinstance(values, (list, tuple)) else [values]
    for v in listed:
        if not isinstance(v, Value):
            raise TypeError(f"{what} must be Values (or one Value), got {type(v).__name__}: {v!r:.40}")
    if not listed:
        raise ValueError(f"{what} is empty: give at least one Value")
    return listed


def _seeds(outputs: list[Value], grad_outputs: Sequence[float] | float | None) -> list[float]:
    if grad_outputs is None:
        return [1.0] * len(outputs)
    seeds = [grad_outputs] if not isinstance(grad_outputs, (list, tuple)) else list(grad_outputs)
    if len(seeds) != len(outputs):
        raise ValueError(f"grad_outputs needs one number per output: got {len(seeds)} for {len(outputs)} outputs")
    return [as_float(s, "grad_outputs") for s in seeds]


def _total(terms: list[Value | float]) -> Value | float:
    """What the paths into a node add up to: one term as it is, several as one sum node."""
    if len(terms) == 1:
        return terms[0]
    if any(isinstance(t, Value) for t in terms):
        return Value.sum(terms)
    return sum(terms)


def _times(local: Value | float, upstream: Value | float) -> Value | float:
    """local * upstream, without the ``* 1`` nodes that would clutter the derivative's graph."""
    if isinstance(upstream, float) and upstream == 1.0:
        return local
    if isinstance(local, float) and local == 1.0:
        return upstream
    return local * upstream


def grad(outputs: Values, inputs: Values, grad_outputs: Sequence[float] | float | None = None,
         create_graph: bool = False) -> tuple[Value, ...]:
    """d(sum of outputs * grad_outputs)/d(input) for each input, as ``torch.autograd.grad`` gives it.

    Returns one Value per input and leaves every ``.grad`` as it was. An input the outputs
    do not depend on gets a zero Value (PyTorch would need ``allow_unused=True`` and give
    None). With ``create_graph=True`` each result is a node of a new graph built from the
    ops' derivatives written with Values, so ``grad`` applies to it again, to any order;
    otherwise each result is a leaf.

    >>> x = Value(3.0, "x")
    >>> y = x ** 3
    >>> (dy,) = grad(y, x, create_graph=True); dy.data          # 3 x^2
    27.0
    >>> (d2y,) = grad(dy, x, create_graph=True); d2y.data       # 6 x
    18.0
    >>> grad(d2y, x)[0].data, x.grad                            # 6, and x.grad untouched
    (6.0, 0.0)
    """
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    seeds = _seeds(outputs, grad_outputs)
    incoming: dict[Value, list] = {}
    for output, seed in zip(outputs, seeds):
        incoming.setdefault(output, []).append(seed)
    wanted = set(inputs)
    results: dict[Value, Value | float] = {}
    for node in topological_order_of(outputs):
        terms = incoming.pop(node, None)
        if terms is None:
            continue
        upstream = _total(terms)
        if node in wanted:
            results[node] = upstream
        if not node.op:
            continue
        parents, floats = edges(node)
        locals_ = value_local_grads(node) if create_graph else floats
        for parent, local in zip(parents, locals_):
            incoming.setdefault(parent, []).append(_times(local, upstream) if create_graph else local * upstream)
    return tuple(_as_value(results.get(x, 0.0), create_graph) for x in inputs)


def _as_value(result: Value | float, create_graph: bool) -> Value:
    if isinstance(result, Value):
        return result if create_graph else Value(result.data)
    return Value(result)


def jacobian(outputs: Values, inputs: Values) -> list[list[float]]:
    """d output_i / d input_j as a list of rows (one reverse pass per output), as ``torch.autograd.functional``.

    >>> x, y = Value(2.0), Value(3.0)
    >>> jacobian([x * y, x + y], [x, y])
    [[3.0, 2.0], [1.0, 1.0]]
    """
    inputs = _as_list(inputs, "inputs")
    return [[g.data for g in grad(output, inputs)] for output in _as_list(outputs, "outputs")]


def hessian(output: Value, inputs: Values) -> list[list[float]]:
    """d^2 output / d input_i d input_j: the first derivatives as a graph, then one reverse pass per input.

    >>> x, y = Value(1.0), Value(2.0)
    >>> hessian(x * x * y, [x, y])
    [[4.0, 2.0], [2.0, 0.0]]
    """
    if not isinstance(output, Value):
        raise TypeError(f"hessian needs one output Value, got {type(output).__name__}")
    inputs = _as_list(inputs, "inputs")
    first = grad(output, inputs, create_graph=True)
    return [[g.data for g in grad(d, inputs)] for d in first]


def jvp(outputs: Values, inputs: Values, tangents: Sequence[float] | float) -> list[float]:
    """Forward mode: the directional derivative of each output along ``tangents`` (one per input).

    Tangents flow forward through the recorded local derivatives in topological order:
    each node's tangent is the sum over its parents of local derivative * parent's tangent.

    >>> x, y = Value(2.0), Value(3.0)
    >>> jvp([x * y, x + y], [x, y], [1.0, 0.0])   # d/dx of each output
    [3.0, 1.0]
    """
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    tangents = [tangents] if not isinstance(tangents, (list, tuple)) else list(tangents)  # type: ignore[list-item]
    if len(tangents) != len(inputs):
        raise ValueError(f"tangents: jvp needs one tangent per input: got {len(tangents)} for {len(inputs)} inputs")
    tangent = {x: as_float(t, "jvp tangents") for x, t in zip(inputs, tangents)}
    for node in reversed(topological_order_of(outputs)):
        if node in tangent or not node.op:
            continue
        parents, local_grads = edges(node)
        tangent[node] = sum(local * tangent.get(parent, 0.0) for parent, local in zip(parents, local_grads))
    return [tangent.get(output, 0.0) for output in outputs]


def mode_costs(outputs: Values, inputs: Values) -> dict[str, int]:
    """The multiply-adds of the whole Jacobian as this engine computes it, in each mode.

    ``forward``: one ``jvp`` per input, each a walk over the whole graph under the outputs with
    one multiply-add per edge (a node's tangent sums local derivative * parent's tangent over all
    its parents). ``reverse``: one ``backward()`` per output, one multiply-add per edge under that
    output. So many inputs and one output favour reverse mode; one input and many outputs, forward.

    >>> x = Value(1.0); h = x.tanh().exp()
    >>> mode_costs([h * 2, h * 3, h * 4], [x])             # one input, three outputs: forward wins
    {'forward': 5, 'reverse': 9}
    >>> xs = [Value(1.0) for _ in range(3)]
    >>> mode_costs(Value.sum([a * a for a in xs]).tanh(), xs)   # three inputs, one output: reverse wins
    {'forward': 30, 'reverse': 10}
    """
    outputs, inputs = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    seeded = set(inputs)  # jvp starts from these: their own parents are never visited
    per_jvp = sum(len(edges(node)[0]) for node in topological_order_of(outputs) if node.op and node not in seeded)
    reverse = sum(len(edges(node)[0]) for output in outputs for node in topological_order(output) if node.op)
    return {"forward": len(inputs) * per_jvp, "reverse": reverse}
