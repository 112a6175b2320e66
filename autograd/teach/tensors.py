"""The tensor view: a backward pass one tensor op at a time, in the matrix form a course writes.

``tensor_graph(root)`` reads the records that tensor ops left on their nodes (see
``autograd.engine.tensor``) once, into the tensors, their names and their ops in backward order;
``rules``, ``explain_tensors`` and the tensor quiz and picture take that object.

Notation: a total derivative (the root's gradient) is written with d, ``dL/dW``; a local one with
∂, ``∂Z[1,2]/∂W[1,2]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..engine.formatting import bracketed, format_constant, format_number, is_plain_name
from ..engine.graph import edges, topological_order
from ..engine.ops import binding
from ..engine.tensor import KINDS, Nested, Tensor, TensorOp, element_name, flatten, made_by, nest
from ..engine.value import Value
from .naming import node_names
from .paths import GraphPath, TooManyPathsError, paths

MAX_AUTO_NAME = 16  # characters: a longer formula is a poor name for a tensor, T<k> is used instead
INFIX = ("T", "@", "+", "-", "*", "/", "**", "%")


def operand(name: str) -> str:
    """A tensor's name as an operand in a formula: bracketed unless it is a name or one call.

    >>> operand("W"), operand("tanh(Z)"), operand("X @ W"), operand("W[1,2]")
    ('W', 'tanh(Z)', '(X @ W)', 'W[1,2]')
    """
    return name if is_plain_name(name) or (binding(name) >= 5 and " " not in name.partition("(")[0]
                                           and name.endswith(")")) else f"({name})"


@dataclass
class TensorRule:
    """One tensor's gradient as people write it: ``.rule`` (``dL/dW = Xᵀ · dL/dZ``) and ``.value``,
    the right side evaluated (nested floats), equal to ``.tensor.grad``. ``.terms`` are its parts,
    one per op that read the tensor, each (rule text, value)."""

    tensor: Tensor
    name: str
    rule: str
    value: Nested
    terms: list[tuple[str, Nested]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.rule


@dataclass
class TensorGraph:
    """Every tensor under a root, read once: records in backward order (the root's side first),
    a Tensor object and a name for each, and the root's name."""

    root: Value
    root_name: str
    records: list[TensorOp]
    tensors: dict[int, Tensor]  # id(record) -> its Tensor (its output nodes, in order)
    outputs: dict[int, Value]  # id(record) -> its Value, for an op whose result is one Value (a loss)
    names: dict[int, str]  # id(record) -> the tensor's name

    def name(self, record: TensorOp) -> str:
        return self.names[id(record)]

    def by_name(self, name: str) -> Tensor:
        for record in self.records:
            if self.names[id(record)] == name and id(record) in self.tensors:
                return self.tensors[id(record)]
        known = ", ".join(self.names[id(r)] for r in self.records if id(r) in self.tensors)
        raise ValueError(f"no tensor named {name!r} under this root; its tensors are: {known}")


def tensor_graph(root: Value) -> TensorGraph:
    """The tensors under ``root``: the records tensor ops left on its nodes, and what they read.

    >>> from autograd.tensor import Tensor, mse
    >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
    >>> g = tensor_graph(mse(X @ W, [[1.0]]))
    >>> [(g.name(r), r.kind, r.shape) for r in g.records]
    [('L', 'mse', ()), ('X @ W', '@', (1, 1)), ('X', 'leaf', (1, 2)), ('W', 'leaf', (2, 1))]
    """
    if not isinstance(root, Value):
        raise TypeError(f"the tensor view needs a Value (a loss), got {type(root).__name__}")
    order = topological_order(root)
    position = {id(node): k for k, node in enumerate(order)}
    found: dict[int, TensorOp] = {}
    for node in order:
        record = made_by(node)  # an op's inner nodes are reached only through its outputs: either finds it
        if record is not None:
            found.setdefault(id(record), record)
    tensors: dict[int, Tensor] = {}
    stack = list(found.values())
    while stack:  # down through the inputs, to the leaves
        record = stack.pop()
        for x in record.inputs:
            if isinstance(x, Tensor) and id(x._made) not in found:
                found[id(x._made)] = x._made
                stack.append(x._made)
            if isinstance(x, Tensor):
                tensors[id(x._made)] = x
    by_id = {id(node): node for node in order}
    outputs: dict[int, Value] = {}
    for key, record in found.items():
        if record.shape == ():
            if record.ids[0] in by_id:
                outputs[key] = by_id[record.ids[0]]
        elif key not in tensors:  # read by no tensor op (by scalar code only): rebuild it from its nodes
            nodes = [by_id.get(i) for i in record.ids]
            if all(n is not None and made_by(n) is record for n in nodes):
                tensors[key] = Tensor._of(nodes, record.shape, record)  # type: ignore[arg-type]
    kept = {key for key in found if key in tensors or key in outputs}
    read = {id(x._made) for r in found.values() for x in r.inputs if isinstance(x, Tensor)}

    def where(record: TensorOp) -> int:
        if id(record) in outputs:
            return position[id(outputs[id(record)])]
        return min((position.get(id(v), len(order)) for v in tensors[id(record)]._flat), default=len(order))

    tops = sorted((found[key] for key in kept if key not in read), key=where)
    records = _ops_first(tops, kept, backward=True)
    graph = TensorGraph(root, root.label or "L", records, tensors, outputs, {})
    for k, record in enumerate(reversed(records)):  # inputs first, so a name can read its inputs' names
        graph.names[id(record)] = _name(graph, record, k)
    taken: set[str] = set()
    for record in reversed(records):
        name = graph.names[id(record)]
        if name in taken:
            name = next(f"{name}#{n}" for n in range(2, len(records) + 2) if f"{name}#{n}" not in taken)
            graph.names[id(record)] = name
        taken.add(name)
    return graph


def _ops_first(tops: list[TensorOp], kept: set[int], backward: bool) -> list[TensorOp]:
    """The records in topological order: each before the inputs it reads (``backward``) or after them.

    Backward, breadth first (Kahn's order): a tensor comes as soon as every op reading it has
    come, and an op's inputs in the order it reads them (dL/dA1 and dL/dW2 right after A1 @ W2).
    """
    def inputs(record: TensorOp) -> list[TensorOp]:
        return [x._made for x in record.inputs if isinstance(x, Tensor) and id(x._made) in kept]

    readers: dict[int, int] = {}
    seen: dict[int, TensorOp] = {}
    stack = list(tops)
    while stack:
        record = stack.pop()
        if id(record) in seen:
            continue
        seen[id(record)] = record
        for x in inputs(record):
            readers[id(x)] = readers.get(id(x), 0) + 1
            stack.append(x)
    order: list[TensorOp] = []
    queue = [r for r in tops if not readers.get(id(r))]
    while queue:
        record = queue.pop(0)
        order.append(record)
        for x in inputs(record) if backward else reversed(inputs(record)):
            readers[id(x)] -= 1
            if readers[id(x)] == 0:
                queue.append(x)
    return order if backward else order[::-1]


def forward_records(graph: TensorGraph) -> list[TensorOp]:
    """The records inputs first, each op after what it reads."""
    kept = {id(r) for r in graph.records}
    read = {id(x._made) for r in graph.records for x in r.inputs if isinstance(x, Tensor)}
    return _ops_first([r for r in graph.records if id(r) not in read], kept, backward=False)


def _name(graph: TensorGraph, record: TensorOp, k: int) -> str:
    """A tensor's label; else what it computes, when that is short (``X @ W``); else ``T<k>``."""
    if record.label:
        return record.label
    if id(record) in graph.outputs:
        value = graph.outputs[id(record)]
        return value.label or (graph.root_name if value is graph.root else record.kind)
    args = [graph.names[id(x._made)] if isinstance(x, Tensor) else format_constant(x) for x in record.inputs
            if isinstance(x, (Tensor, int, float))]
    kind = record.kind
    if kind in INFIX:
        args = [operand(a) for a in args]
    if kind == "leaf":
        text = ""
    elif kind == "T":
        text = f"{args[0]}ᵀ"
    elif kind in ("sum", "mean"):
        text = f"{kind}({args[0]}, axis={record.params['axis']})"
    elif len(args) == 2:
        text = f"{args[0]} {kind} {args[1]}"
    else:
        text = f"{kind}({args[0]})"
    return text if text and len(text) <= MAX_AUTO_NAME else f"T{k + 1}"


def _fill(template: str, graph: TensorGraph, record: TensorOp, upstream: str) -> str:
    tensors = [x for x in record.inputs if isinstance(x, Tensor)]
    names = {"$G": upstream, "$O": operand(graph.name(record))}
    for letter, t in zip("AB", tensors if len(tensors) == 2 or isinstance(record.inputs[0], Tensor)
                         else [None, *tensors]):
        if t is not None:
            names[f"${letter}"] = operand(graph.name(t._made))
    for key, text in names.items():
        template = template.replace(key, text)
    return template


def upstream_text(graph: TensorGraph, record: TensorOp) -> str:
    """How dL/d(output) is written for ``record``: ``dL/dZ``, or ``1`` when the output is the root."""
    if graph.outputs.get(id(record)) is graph.root:
        return "1"
    return f"d{graph.root_name}/d{bracketed(graph.name(record))}"


def _simplified(text: str) -> str:
    """``1 · x`` -> ``x`` (where the upstream gradient is the root's own, 1)."""
    return text.replace("1 · ", "").replace(" ⊙ 1", "") if text.startswith("1 ") else text


def op_terms(graph: TensorGraph, record: TensorOp) -> list[tuple[Tensor, str, Nested]]:
    """What the op behind ``record`` sends each tensor it read: (input, rule's right side, its value).

    >>> from autograd.tensor import Tensor
    >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
    >>> L = (X @ W).sum(); L.backward()
    >>> g = tensor_graph(L)
    >>> [(graph_name, text, value) for t, text, value in op_terms(g, g.records[1]) for graph_name in [g.name(t._made)]]
    [('X', 'dL/d(X @ W) · Wᵀ', [[3.0, 4.0]]), ('W', 'Xᵀ · dL/d(X @ W)', [[1.0], [2.0]])]
    """
    if record.kind == "leaf":
        return []
    kind = KINDS[record.kind]
    if id(record) in graph.outputs:
        out_nodes = [graph.outputs[id(record)]]
        upstream: Any = out_nodes[0].grad
    else:
        out_nodes = graph.tensors[id(record)]._flat
        upstream = nest([v.grad for v in out_nodes], record.shape)
    texts = kind.rules(record)
    values = kind.grads(record, upstream, out_nodes)
    up = upstream_text(graph, record)
    found = []
    for x, text, value in zip(record.inputs, texts, values):
        if isinstance(x, Tensor) and text is not None:
            filled = _fill(text, graph, record, up)
            found.append((x, _simplified(filled) if up == "1" else filled, value))
    return found


def rules(root: Value) -> list[TensorRule]:
    """After ``root.backward()``: each tensor's gradient in matrix form, its rule and that rule's value.

    One record per tensor that a tensor op made or read, backward order. Where a tensor's
    elements are also used by scalar ops, the rule has a term for that share, read from the
    scalar graph's edges.

    >>> from autograd.tensor import Tensor, mse
    >>> X = Tensor([[1.0, 2.0], [0.0, 1.0]], "X"); W = Tensor([[0.5], [-1.0]], "W")
    >>> Z = X @ W; Z.label = "Z"
    >>> L = mse(Z, [[0.0], [1.0]]); L.backward()
    >>> for r in rules(L): print(r.rule, r.value)
    dL/dZ = 2 (Z - y) / 2 [[-1.5], [-2.0]]
    dL/dX = dL/dZ · Wᵀ [[-0.75, 1.5], [-1.0, 2.0]]
    dL/dW = Xᵀ · dL/dZ [[-1.5], [-5.0]]
    """
    return tensor_rules(tensor_graph(root))


def tensor_rules(graph: TensorGraph) -> list[TensorRule]:
    """``rules`` from a graph already read."""
    shares: dict[int, list[tuple[str, Nested]]] = {}
    for record in graph.records:
        for x, text, value in op_terms(graph, record):
            shares.setdefault(id(x._made), []).append((text, value))
    scalar = _scalar_shares(graph)
    found = []
    for record in graph.records:
        if id(record) not in graph.tensors:
            continue
        tensor = graph.tensors[id(record)]
        terms = list(shares.get(id(record), []))
        if id(record) in scalar:
            terms.append((f"(d{graph.root_name}/d{bracketed(graph.name(record))} through scalar ops)",
                          nest(scalar[id(record)], record.shape)))
        if not terms:
            continue
        total = [math.fsum(parts) for parts in zip(*(flatten(v) for _, v in terms))]
        name = f"d{graph.root_name}/d{bracketed(graph.name(record))}"
        found.append(TensorRule(tensor, graph.name(record), f"{name} = {' + '.join(t for t, _ in terms)}",
                                nest(total, record.shape), terms))
    return found


def _scalar_shares(graph: TensorGraph) -> dict[int, list[float]]:
    """For each tensor whose elements scalar ops read (not tensor ops): what those edges send it."""
    owner: dict[int, tuple[TensorOp, int]] = {}
    for record in graph.records:
        if id(record) in graph.tensors:
            for k, v in enumerate(graph.tensors[id(record)]._flat):
                owner.setdefault(id(v), (record, k))
    shares: dict[int, list[float]] = {}
    for node in topological_order(graph.root):
        reader = made_by(node)
        reads = {id(x._made) for x in reader.inputs if isinstance(x, Tensor)} if reader is not None else set()
        for parent, local in zip(*edges(node)):
            found = owner.get(id(parent))
            if found is None or id(found[0]) in reads:
                continue
            record, k = found
            share = shares.setdefault(id(record), [0.0] * len(record.ids or graph.tensors[id(record)]._flat))
            share[k] += local * node.grad
    return shares


# ---- the tensor view as text ----

def matrix_text(value: Any, digits: int = 4, most: int = 6) -> str:
    """Nested floats as a one-line matrix: ``[[1.0, 2.0], [3.0, 4.0]]`` to ``digits`` digits; past
    ``most`` rows or columns, the first few, ``...`` and the last.

    >>> matrix_text([[1.0, 0.33333], [3.0, 4.0]], 2), matrix_text(list(range(10)), 1)
    ('[[1.0, 0.33], [3.0, 4.0]]', '[0.0, 1.0, 2.0, 3.0, ..., 9.0]')
    """
    if isinstance(value, list):
        items = [matrix_text(v, digits, most) for v in value]
        if len(items) > most:
            items = [*items[: most - 2], "...", items[-1]]
        return "[" + ", ".join(items) + "]"
    return format_number(value, digits)


def shape_text(shape: tuple[int, ...]) -> str:
    """``(4, 3)``, ``(3,)`` or ``scalar``."""
    return str(shape) if shape else "scalar"


def explain_tensors(root: Value, digits: int = 4, element: tuple | None = None) -> str:
    """The backward pass one tensor op at a time: shapes, the matrix rule on each tensor, its numbers.

    ``element=("W", i, j)`` (rows and columns counted from 1, as ``W[1,2]`` names them; ``("b", j)``
    for a vector) adds that element's scalar chain rule: every path from it up to the root, each
    path's product of local derivatives, and their sum, equal to that entry of the matrix rule.
    The explanation runs its own backward pass and puts every ``.grad`` back after.

    >>> from autograd.tensor import Tensor, mse
    >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
    >>> print(explain_tensors(mse(X @ W, [[10.0]]), element=("W", 2, 1)))
    tensor view: forward
      X (1, 2) = [[1.0, 2.0]]
      W (2, 1) = [[3.0], [4.0]]
      X @ W (1, 1) = [[11.0]]
      L scalar = mse(X @ W) = 1.0
    backward: from L back to the inputs, one tensor op at a time, dL/dL = 1
      L = mse(X @ W):
        dL/d(X @ W) = 2 ((X @ W) - y) / 1 = [[2.0]]
      X @ W = X @ W:
        dL/dX = dL/d(X @ W) · Wᵀ = [[6.0, 8.0]]
        dL/dW = Xᵀ · dL/d(X @ W) = [[2.0], [4.0]]
    one element, W[2,1]: dL/dW[2,1] is the sum over every path from W[2,1] up to L, each the product of the local derivatives ∂ along it
      W[2,1] -> (X @ W)[1,1] -> L
        2.0 * (dL/d((X @ W)[1,1]) = 2.0) = 4.0
      dL/dW[2,1] = 4.0 (1 path) = (Xᵀ · dL/d(X @ W))[2,1] = 4.0
    """
    from ..engine.graph import scratch_grads

    with scratch_grads(root):
        root.backward()
        graph = tensor_graph(root)
        found = tensor_rules(graph)
        return _tensor_text(graph, found, digits, element)


def _tensor_text(graph: TensorGraph, found: list[TensorRule], digits: int, element: tuple | None) -> str:
    fmt = lambda v: matrix_text(v, digits)
    lines = ["tensor view: forward"]
    for record in forward_records(graph):
        name = graph.name(record)
        data = graph.outputs[id(record)].data if id(record) in graph.outputs else graph.tensors[id(record)].data
        made = "" if record.kind == "leaf" else made_text(graph, record)
        shown = f"{made} = " if made and made != name else ""
        lines.append(f"  {name} {shape_text(record.shape)} = {shown}{fmt(data)}")
    lines.append(f"backward: from {graph.root_name} back to the inputs, one tensor op at a time, "
                 f"d{graph.root_name}/d{graph.root_name} = 1")
    by_tensor = {id(r.tensor._made): r for r in found}
    for record in graph.records:
        if record.kind == "leaf":
            continue
        lines.append(f"  {graph.name(record)} = {made_text(graph, record)}:")
        for x, text, value in op_terms(graph, record):
            lines.append(f"    d{graph.root_name}/d{bracketed(graph.name(x._made))} = {text} = {fmt(value)}")
    shared = [r for r in found if len(r.terms) > 1]
    for r in shared:
        lines.append(f"  {r.rule} = {fmt(r.value)}  (its parts add up)")
    if element is not None:
        lines += element_lines(graph, by_tensor, element, digits)
    return "\n".join(lines)


def made_text(graph: TensorGraph, record: TensorOp) -> str:
    """How a tensor was made, in its inputs' names: ``X @ W``, ``tanh(Z)``, ``mse(A)``, ``Wᵀ``."""
    args = [graph.name(x._made) if isinstance(x, Tensor) else format_constant(x) for x in record.inputs
            if isinstance(x, (Tensor, int, float))]
    kind = record.kind
    if kind in INFIX:
        args = [operand(a) for a in args]
    if kind == "T":
        return f"{args[0]}ᵀ"
    if kind in ("sum", "mean"):
        axis = record.params["axis"]
        return f"{kind}({args[0]})" if axis is None else f"{kind}({args[0]}, axis={axis})"
    if len(args) == 2 and KINDS[kind].name not in ("mse", "bce", "softmax_cross_entropy"):
        return f"{args[0]} {kind} {args[1]}"
    return f"{kind}({args[0]})"


def element_node(graph: TensorGraph, element: tuple) -> tuple[Tensor, int, Value]:
    """The tensor, the row-major index and the Value that ``("W", i, j)`` (counted from 1) names."""
    if not isinstance(element, tuple) or not element or not isinstance(element[0], str):
        raise ValueError(f"element names a tensor and an index counted from 1, like ('W', 1, 2) or ('b', 3), got {element!r}")
    tensor = graph.by_name(element[0])
    index = element[1:]
    shape = tensor.shape
    if len(index) != len(shape) or not all(isinstance(i, int) and 1 <= i <= s for i, s in zip(index, shape)):
        raise ValueError(f"{element[0]} has shape {shape}: name an element by {len(shape)} index(es) counted from 1, "
                         f"each from 1 to its size, got {index!r}")
    k = index[0] - 1 if len(shape) == 1 else (index[0] - 1) * shape[1] + index[1] - 1
    return tensor, k, tensor._flat[k]


MAX_PATHS_SHOWN = 12


def element_lines(graph: TensorGraph, by_tensor: dict[int, TensorRule], element: tuple, digits: int) -> list[str]:
    """One element's chain rule as the sum over paths, each path's product, their total = the matrix entry."""
    tensor, k, node = element_node(graph, element)
    entry = element_name(bracketed(graph.name(tensor._made)), tensor.shape, k)
    root = graph.root_name
    lines = [f"one element, {entry}: d{root}/d{entry} is the sum over every path from {entry} up to {root}, "
             "each the product of the local derivatives ∂ along it"]
    names = element_names(graph)
    fmt = lambda x: format_number(x, digits)
    above = _depends_on(graph.root, node)
    ends = [end for end in _loss_inputs(graph) if end in above]
    found: list[tuple[GraphPath, Value | None]]
    try:
        if ends:  # up to the loss's input, then its gradient there: the loss's inner nodes are one factor
            found = [(path, end) for end in ends for path in paths(end, node, limit=10_000)]
        else:
            found = [(path, None) for path in paths(graph.root, node, limit=10_000)]
    except TooManyPathsError as error:
        lines.append(f"  {error}")
        found = []
    products = [path.product * (end.grad if end is not None else 1.0) for path, end in found]
    for (path, end), product in list(zip(found, products))[:MAX_PATHS_SHOWN]:
        route = " -> ".join(_short(names[n]) for n in path.nodes) + (f" -> {root}" if end is not None else "")
        factors = [fmt(d) for d in path.local_grads]
        if end is not None:
            factors.append(f"(d{root}/d{bracketed(names[end])} = {fmt(end.grad)})")
        lines.append(f"  {route}")
        lines.append(f"    {' * '.join(factors) or '1'} = {fmt(product)}")
    if len(found) > MAX_PATHS_SHOWN:
        rest = products[MAX_PATHS_SHOWN:]
        lines.append(f"  ... {len(rest)} more paths, adding {fmt(math.fsum(rest))}")
    total = math.fsum(products)
    rule = by_tensor.get(id(tensor._made))
    matrix = ""
    if rule is not None:
        matrix = f" = ({rule.rule.partition(' = ')[2]}){_index_text(tensor.shape, k)} = {fmt(flatten(rule.value)[k])}"
    lines.append(f"  d{root}/d{entry} = {fmt(total)} ({len(found)} path{'s' if len(found) != 1 else ''}){matrix}")
    return lines


def _depends_on(root: Value, leaf: Value) -> set[Value]:
    """The nodes under ``root`` computed from ``leaf`` (``leaf`` among them): one pass, leaves first."""
    found = {leaf}
    for node in reversed(topological_order(root)):
        if node not in found and any(parent in found for parent in edges(node)[0]):
            found.add(node)
    return found


def _loss_inputs(graph: TensorGraph) -> list[Value]:
    """The elements a root made by a tensor op (a loss, a sum) reads; empty when scalar ops made the root."""
    record = made_by(graph.root)
    if record is None or graph.outputs.get(id(record)) is not graph.root:
        return []
    return [v for x in record.inputs if isinstance(x, Tensor) for v in x._flat]


def _index_text(shape: tuple[int, ...], k: int) -> str:
    return f"[{k + 1}]" if len(shape) == 1 else f"[{k // shape[1] + 1},{k % shape[1] + 1}]"


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."


def element_names(graph: TensorGraph) -> dict[Value, str]:
    """The scalar graph's node names, with every tensor element called by its tensor's name (``Z[1,2]``)."""
    named = []
    for record in graph.records:
        if id(record) in graph.tensors:
            tensor = graph.tensors[id(record)]
            named += [(v, element_name(bracketed(graph.name(record)), tensor.shape, k))
                      for k, v in enumerate(tensor._flat) if not v.label]
    try:  # named for the moment, so that every formula name reads them too
        for v, name in named:
            v.label = name
        return node_names(graph.root)
    finally:
        for v, _ in named:
            v.label = ""


# ---- the tensor quiz: a question per tensor, answered as a matrix or one element at a time ----

@dataclass(frozen=True)
class TensorQuestion:
    """One hidden tensor gradient: d root / d ``name``, a matrix (or vector) of ``shape``."""

    name: str
    prompt: str  # "dL/dW = ? (a 2 x 3 matrix)"
    shape: tuple[int, ...]


@dataclass(frozen=True)
class TensorFeedback:
    """How a matrix (or one element) fared: ``correct``; for a wrong one the ``wrong`` elements, a
    ``hint`` (the matrix rule, then the scalar chain rule of the first wrong element) and its ``mistake``."""

    name: str
    correct: bool
    wrong: tuple[str, ...] = ()
    hint: str = ""
    mistake: str | None = None

    def __str__(self) -> str:
        return "right" if self.correct else f"not quite. {self.hint}"


class TensorQuiz:
    """The tensor view's quiz: ``questions`` (one per tensor, backward order), ``answer(name, value)``
    with a tensor's name and a nested list, or an element's name (``W[1,2]``) and a number; ``score``
    counts the tensors whose latest answer was right throughout. Each element is judged by the
    scalar quiz of the same graph, so its hints and mistakes are the scalar ones."""

    def __init__(self, graph: TensorGraph, found: list[TensorRule], scalar: Any, elements: dict[str, list[str]]) -> None:
        self.root_name = graph.root_name
        self._rules = {r.name: r for r in found}
        self._scalar = scalar
        self._elements = elements
        self.questions = [TensorQuestion(r.name, f"d{self.root_name}/d{bracketed(r.name)} = ? "
                                         f"({_shape_words(r.tensor.shape)})", r.tensor.shape) for r in found]
        self._results: dict[str, bool] = {}

    @property
    def score(self) -> int:
        """How many tensors the latest answers got right, every element."""
        return sum(self._results.values())

    def expected(self, name: str) -> Any:
        """The true gradient of the tensor ``name`` (nested floats) or of one element (a float)."""
        if name in self._rules:
            return self._rules[name].tensor.grad
        return self._scalar.expected(name)

    def rule(self, name: str) -> str:
        """The matrix rule of the tensor ``name``: ``dL/dW = Xᵀ · dL/dZ``."""
        return self._rules[name].rule

    def answer(self, name: str, value: Any) -> TensorFeedback:
        """Judge a tensor's whole gradient (a nested list) or one element's (a number), in any order.

        >>> from autograd import quiz
        >>> from autograd.tensor import Tensor, mse
        >>> X = Tensor([[1.0, 2.0]], "X"); W = Tensor([[3.0], [4.0]], "W")
        >>> q = quiz(mse(X @ W, [[10.0]]), view="tensor")
        >>> [question.prompt for question in q.questions]
        ['dL/d(X @ W) = ? (a 1 x 1 matrix)', 'dL/dX = ? (a 1 x 2 matrix)', 'dL/dW = ? (a 2 x 1 matrix)']
        >>> q.answer("W", [[2.0], [4.0]]).correct, q.answer("W[2,1]", 4.0).correct
        (True, True)
        >>> print(q.answer("W", [[2.0], [5.0]]))
        not quite. dL/dW = Xᵀ · dL/d(X @ W): 1 of 2 entries off, first W[2,1]. dL/dW[2,1] = dL/d((X @ W)[1,1]) · ∂((X @ W)[1,1])/∂W[2,1] = 2.0 · 2.0 = ?   (the rule: ∂dot(...)/∂W[2,1] = X[1,2])
        """
        if name not in self._rules:
            if not any(name in names for names in self._elements.values()):
                raise ValueError(f"no question is called {name!r}: name a tensor ({', '.join(self._rules)}) "
                                 "or one of its elements, like W[1,2]")
            feedback = self._scalar.answer(name, value)
            return TensorFeedback(name, feedback.correct, () if feedback.correct else (name,),
                                  "" if feedback.correct else feedback.hint, getattr(feedback, "mistake", None))
        shape = self._rules[name].tensor.shape
        flat, given = _answer_shape(value)
        if given != shape:
            raise ValueError(f"d{self.root_name}/d{bracketed(name)} is {_shape_words(shape)} {shape}, "
                             f"the answer has shape {given}")
        wrong = []
        first = None
        for element, number in zip(self._elements[name], flat):
            feedback = self._scalar.answer(element, number)
            if not feedback.correct:
                wrong.append(element)
                first = first or feedback
        self._results[name] = not wrong
        if not wrong:
            return TensorFeedback(name, True)
        assert first is not None
        hint = (f"{self.rule(name)}: {len(wrong)} of {len(flat)} entries off, first {wrong[0]}. {first.hint}")
        return TensorFeedback(name, False, tuple(wrong), hint, getattr(first, "mistake", None))


def _shape_words(shape: tuple[int, ...]) -> str:
    return f"a {shape[0]} x {shape[1]} matrix" if len(shape) == 2 else f"a vector of {shape[0]}"


def _answer_shape(value: Any) -> tuple[list[Any], tuple[int, ...]]:
    """An answer's numbers row-major and its shape; a clear error when it is not a list (of lists)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"a tensor's answer is a list of numbers or a list of rows, got {value!r:.60}")
    if all(isinstance(row, (list, tuple)) for row in value):
        if len({len(row) for row in value}) != 1:
            raise ValueError("a matrix answer needs rows of one length")
        return [x for row in value for x in row], (len(value), len(value[0]))
    return list(value), (len(value),)


def tensor_quiz(root: Value, scalar_quiz: Any, seed: int | None = None) -> TensorQuiz:
    """Hide every tensor's gradient under ``root``: a ``TensorQuiz``; ``quiz(root, view="tensor")`` calls it.

    ``scalar_quiz`` is the scalar quiz maker (``autograd.quiz``, which passes itself) that judges
    each element; ``seed`` goes to it. The questions are every tensor, in backward order.
    """
    from ..engine.graph import scratch_grads

    with scratch_grads(root):
        root.backward()
        graph = tensor_graph(root)
        found = tensor_rules(graph)
    elements: dict[str, list[str]] = {}
    named = []
    for r in found:
        for k, v in enumerate(r.tensor._flat):
            if not v.label:
                named.append(v)
                v.label = element_name(bracketed(r.name), r.tensor.shape, k)
        elements[r.name] = [v.label for v in r.tensor._flat]
    try:  # named for the moment, so the scalar quiz calls each element as the tensor view does
        scalar = scalar_quiz(root, seed=seed, hide=sorted({n for names in elements.values() for n in names}))
    finally:
        for v in named:
            v.label = ""
    return TensorQuiz(graph, found, scalar, elements)
