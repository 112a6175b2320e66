"""Tensors of Values: the matrix form a course writes next, built from ordinary scalar nodes.

A ``Tensor`` is a 1-D or 2-D grid of ``Value``s. Its ops (``@``, elementwise arithmetic, ``.T``,
``sum``/``mean``, every unary op of the table, three losses) make the same scalar nodes one would
write by hand (``X @ W`` is one ``dot`` node per output element), so ``backward()``, steps,
pictures, quizzes and paths work on every element as on any Value.

How a tensor's identity survives in the scalar graph, at no cost to a scalar node: a tensor op
gives the nodes it makes a twin of their table entry (``node.op``, an ``Op``, still equal to
``"dot"`` or ``"tanh"``) that also names the op's ``TensorOp`` record: one twin per tensor op, shared
by all its nodes, so no node grows (Value's slots are untouched). The record holds what people
write: the kind of op, its input tensors (as a node holds its parents, never the other way round,
so no reference cycle), its shape and label, and the ids of its output nodes (their order). From
any root, ``made_by(node)`` finds the records; ``TensorOp.inputs`` leads down to the leaves.

Each kind of tensor op is one entry of ``KINDS``: its rule per input as people write it (with
``$G`` for the upstream gradient dL/d(output), ``$O`` the output, ``$A``/``$B`` the inputs) and
that rule evaluated on floats. The teaching layer writes the text; nothing there branches on
the kind.

>>> X = Tensor([[1.0, 2.0], [3.0, 4.0]], "X"); W = Tensor([[0.5], [-1.0]], "W")
>>> Z = X @ W
>>> Z.shape, Z.data
((2, 1), [[-1.5], [-2.5]])
>>> L = Z.sum(); L.backward(); W.grad
[[4.0], [6.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .arguments import check_sequence
from .formatting import format_constant
from .graph import edges
from .ops import BY_NAME, TABLE, Op, binding
from .value import Value, as_float

Nested = list[float] | list[list[float]]
Shape = tuple[int, ...]


class TensorOp:
    """How one tensor was made: its kind (``KINDS``), its inputs, its shape, its label.

    ``inputs`` are Tensors, numbers (a constant operand) or, for a loss, the targets.
    ``ids`` are the ids of the output nodes, in row-major order (the nodes themselves point at
    this record through their op; holding them here would make a reference cycle).
    """

    __slots__ = ("kind", "inputs", "shape", "label", "ids", "params")

    def __init__(self, kind: str, inputs: tuple = (), shape: Shape = (), label: str = "",
                 params: dict[str, Any] | None = None) -> None:
        self.kind = kind
        self.inputs = inputs
        self.shape = shape
        self.label = label
        self.ids: tuple[int, ...] = ()
        self.params = params or {}

    def __repr__(self) -> str:
        return f"TensorOp({self.kind!r}, shape={self.shape}, label={self.label!r})"


def made_by(node: Value) -> TensorOp | None:
    """The tensor op that made ``node``, or None for a node no tensor op made.

    >>> Z = Tensor([1.0, 2.0], "x").tanh()
    >>> made_by(Z.values[0]).kind, made_by(Value(1.0).tanh())
    ('tanh', None)
    """
    op = node.op
    return op.__dict__.get("tensor") if op else None


def _tag(values: list[Value], record: TensorOp, inside: set[int] | None = None) -> None:
    """Point each node's op at ``record``: one twin of each table entry per tensor op.

    ``inside`` (ids of the op's input elements) also tags the op's inner nodes, the ones between
    its inputs and its outputs (the squares inside ``mse``), so nothing reads them as scalar ops.
    """
    twins: dict[int, Op] = {}
    nodes = values if inside is None else _between(values, inside)
    for v in nodes:
        op = v.op
        if not op:  # no_grad: nothing recorded, nothing to tag
            continue
        twin = twins.get(id(op))
        if twin is None:
            twin = twins[id(op)] = type(op)(str(op), **{**op.__dict__, "tensor": record})  # the same kind of op
        v.op = twin
    record.ids = tuple(map(id, values))


def _between(outputs: list[Value], inputs: set[int]) -> list[Value]:
    """The nodes from ``outputs`` down to (not including) the nodes whose ids are in ``inputs``."""
    seen: dict[int, Value] = {}
    stack = list(outputs)
    while stack:
        node = stack.pop()
        if id(node) in seen or id(node) in inputs:
            continue
        seen[id(node)] = node
        stack.extend(edges(node)[0])
    return list(seen.values())


def _flat_shape(data: object) -> tuple[list, Shape]:
    """Row-major elements and the shape of a list (of lists), or a clear error."""
    if isinstance(data, Tensor):
        return list(data._flat), data.shape
    if not isinstance(data, (list, tuple)) or not data:
        raise TypeError(f"Tensor needs a non-empty list of numbers or Values, or a list of such lists, got "
                        f"{type(data).__name__}: {data!r:.60}")
    if all(isinstance(row, (list, tuple)) for row in data):
        widths = {len(row) for row in data}
        if len(widths) != 1 or 0 in widths:
            raise ValueError(f"Tensor rows must all have the same non-zero length, got lengths {[len(r) for r in data]}")
        flat = [x for row in data for x in row]
        shape: Shape = (len(data), widths.pop())
    elif any(isinstance(row, (list, tuple)) for row in data):
        raise ValueError("Tensor needs either a list of numbers (1-D) or a list of equal rows (2-D), not a mix")
    else:
        flat, shape = list(data), (len(data),)
    for x in flat:
        if isinstance(x, (list, tuple)):
            raise ValueError("Tensor is 1-D or 2-D: a list of numbers or a list of rows of numbers")
    return flat, shape


def element_name(label: str, shape: Shape, k: int) -> str:
    """The name of element ``k`` (row-major) of a tensor: ``W[1,2]``, counted from 1 as on a blackboard.

    >>> element_name("W", (2, 3), 5), element_name("b", (3,), 0)
    ('W[2,3]', 'b[1]')
    """
    if len(shape) == 1:
        return f"{label}[{k + 1}]"
    return f"{label}[{k // shape[1] + 1},{k % shape[1] + 1}]"


class Tensor:
    """A 1-D or 2-D grid of Values; ops build the same scalar graph a loop would.

    ``data`` is a list (of lists) of numbers or Values. Numbers become new leaves, named after
    the tensor (``W[1,2]``, rows and columns counted from 1) when it has a label.

    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], "W")
    >>> W.shape, W.values[0][1].label
    ((2, 2), 'W[1,2]')
    >>> (W * 2 + 1).data
    [[3.0, 5.0], [7.0, 9.0]]
    """

    __slots__ = ("_flat", "shape", "_made")
    __array_ufunc__ = None  # numpy leaves `2.0 * tensor` to the Tensor
    _flat: list[Value]
    shape: Shape
    _made: TensorOp

    def __init__(self, data: object, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r:.40}")
        flat, shape = _flat_shape(data)
        self._flat = [x if isinstance(x, Value) else Value(as_float(x, "Tensor element")) for x in flat]
        self.shape = shape
        self._made = TensorOp("leaf", (), shape, "")
        self.label = label

    @classmethod
    def _result(cls, flat: list[Value], shape: Shape, kind: str, inputs: tuple, inner: bool = False,
                **params: Any) -> Tensor:
        out = cls._of(flat, shape, TensorOp(kind, inputs, shape, "", params))
        _tag(flat, out._made, _element_ids(inputs) if inner else None)
        return out

    @classmethod
    def _of(cls, flat: list[Value], shape: Shape, made: TensorOp) -> Tensor:
        """A Tensor object over existing nodes and their record (nothing new is recorded)."""
        out = cls.__new__(cls)
        out._flat, out.shape, out._made = flat, shape, made
        return out

    # ---- what it holds ----

    @property
    def label(self) -> str:
        """The tensor's name; setting it names its unlabelled elements (``W[1,2]``)."""
        return self._made.label

    @label.setter
    def label(self, label: str) -> None:
        old = self._made.label
        self._made.label = label
        if not label:
            return
        for k, v in enumerate(self._flat):
            if not v.label or (old and v.label == element_name(old, self.shape, k)):
                v.label = element_name(label, self.shape, k)

    @property
    def made(self) -> TensorOp:
        """The record of the op that made this tensor (kind ``"leaf"`` for one made from data)."""
        return self._made

    @property
    def values(self) -> list:
        """The elements as Values, nested as the shape."""
        return self._nest(self._flat)

    @property
    def data(self) -> Nested:
        """The elements' data (floats), nested as the shape."""
        return self._nest([v.data for v in self._flat])

    @property
    def grad(self) -> Nested:
        """The elements' grads (floats), nested as the shape."""
        return self._nest([v.grad for v in self._flat])

    def _nest(self, flat: list) -> Any:
        return nest(flat, self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Tensor(shape={self.shape}{label}, data={self.data!r:.200})"

    def __bool__(self) -> bool:
        raise TypeError("the truth of a Tensor is ambiguous: look at .data, or reduce it with .sum()")

    def zero_grad(self) -> None:
        """Set every element's ``.grad`` to 0 (the elements only, not the graph under them)."""
        for v in self._flat:
            v.grad = 0.0

    # ---- @: one dot node per output element ----

    def __matmul__(self, other: object) -> Tensor:
        if not isinstance(other, Tensor):
            raise TypeError(f"'@' needs two Tensors, got Tensor @ {type(other).__name__}")
        a, b = self.shape, other.shape
        if a[-1] != b[0] or (len(a) == 1 and len(b) == 1):
            raise ValueError(f"'@' needs the columns of the left to match the rows of the right "
                             f"(a matrix or vector on each side, not two vectors), got shapes {a} and {b}")
        if len(b) == 2:  # every output element: a row of the left against a column of the right
            columns = [other._flat[j::b[1]] for j in range(b[1])]
            rows = [self._flat] if len(a) == 1 else [self._flat[i * a[1]:(i + 1) * a[1]] for i in range(a[0])]
            flat = [z for row in rows for z in Value.dots(columns, row)]
            shape: Shape = (b[1],) if len(a) == 1 else (a[0], b[1])
        else:  # a matrix by a vector
            flat = Value.dots([self._flat[i * a[1]:(i + 1) * a[1]] for i in range(a[0])], other._flat)
            shape = (a[0],)
        return type(self)._result(flat, shape, "@", (self, other))

    # ---- elementwise ----

    def _elementwise(self, other: object, op: Op, reflected: bool = False) -> Tensor:
        method = getattr(Value, op.method if not reflected else "__r" + op.method[2:])
        if isinstance(other, Tensor):
            pairs = _broadcast(self, other, str(op))
            flat = [method(x, y) for x, y in pairs]
            inputs: tuple = (self, other)
            shape = max(self.shape, other.shape, key=len)
        else:
            if isinstance(other, Value):
                raise TypeError(f"'{op}' of a Tensor takes a number or a Tensor, got a Value: wrap it, "
                                "Tensor([v]), or use the elements (t.values)")
            as_float(other, f"'{op}' with a Tensor")
            flat = [method(x, other) for x in self._flat]
            inputs = (other, self) if reflected else (self, other)
            shape = self.shape
        return type(self)._result(flat, shape, str(op), inputs)

    def __add__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["+"])

    def __radd__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["+"], reflected=True)

    def __sub__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["-"])

    def __rsub__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["-"], reflected=True)

    def __mul__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["*"])

    def __rmul__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["*"], reflected=True)

    def __truediv__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["/"])

    def __rtruediv__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["/"], reflected=True)

    def __pow__(self, other: object) -> Tensor:
        return self._elementwise(other, BY_NAME["**"])

    def __neg__(self) -> Tensor:
        return self._unary(BY_NAME["neg"])

    def __abs__(self) -> Tensor:
        return self._unary(BY_NAME["abs"])

    def _unary(self, op: Op, *params: object) -> Tensor:
        method = getattr(Value, op.method)
        flat = [method(x, *params) for x in self._flat]
        return type(self)._result(flat, self.shape, str(op), (self,), params=params)

    # ---- shape ----

    @property
    def T(self) -> Tensor:
        """The transpose: new Values, one identity node per element, so each has its own gradient.

        >>> W = Tensor([[1.0, 2.0, 3.0]], "W")
        >>> W.T.shape, W.T.values[2][0].parents[0] is W.values[0][2]
        ((3, 1), True)
        """
        if len(self.shape) != 2:
            raise ValueError(f".T needs a 2-D tensor, got shape {self.shape}")
        n, m = self.shape
        flat = [Value.sum([self._flat[i * m + j]]) for j in range(m) for i in range(n)]
        return type(self)._result(flat, (m, n), "T", (self,))

    # ---- reductions ----

    def sum(self, axis: int | None = None) -> Any:
        """The sum of all elements (a Value), or over rows (``axis=0``) or columns (``axis=1``).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0).data
        [4.0, 6.0]
        """
        return self._reduce("sum", axis)

    def mean(self, axis: int | None = None) -> Any:
        """The mean of all elements (a Value), or over rows (``axis=0``) or columns (``axis=1``).

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data
        [1.5, 3.5]
        """
        return self._reduce("mean", axis)

    def _reduce(self, kind: str, axis: int | None) -> Any:
        if axis not in (None, 0, 1) or isinstance(axis, bool) or (axis == 1 and len(self.shape) == 1):
            raise ValueError(f"{kind}(axis=...) takes None (everything), 0 (over rows) or 1 (over columns, 2-D only), "
                             f"got {axis!r} for shape {self.shape}")
        shape: Shape
        if axis is None or len(self.shape) == 1:
            groups, shape = [self._flat], ()
        elif axis == 0:
            m = self.shape[1]
            groups, shape = [self._flat[j::m] for j in range(m)], (m,)
        else:
            m = self.shape[1]
            groups, shape = [self._flat[i * m:(i + 1) * m] for i in range(self.shape[0])], (self.shape[0],)
        flat = [Value.sum(g) if kind == "sum" else Value.sum(g) / len(g) for g in groups]
        if shape == ():
            return _scalar_result(flat[0], kind, (self,), axis=axis, count=len(groups[0]))
        return type(self)._result(flat, shape, kind, (self,), inner=kind == "mean", axis=axis, count=len(groups[0]))

    # ---- numpy arrays in (numpy itself is imported only by autograd.tensor) ----

    @classmethod
    def from_numpy(cls, array: Any, label: str = "") -> Tensor:
        """A Tensor of new leaves from a 1-D or 2-D numpy array (anything with ``.tolist()`` and ``.ndim``).

        >>> class Fake:  # what numpy gives: ndim and tolist
        ...     ndim = 1
        ...     def tolist(self): return [1.0, 2.0]
        >>> Tensor.from_numpy(Fake(), "x").data
        [1.0, 2.0]
        """
        ndim = getattr(array, "ndim", None)
        if ndim not in (1, 2) or not hasattr(array, "tolist"):
            raise TypeError(f"from_numpy needs a 1-D or 2-D numpy array, got {type(array).__name__}"
                            + (f" with {ndim} dimensions" if ndim is not None else ""))
        return cls(array.tolist(), label)


def nest(flat: list, shape: Shape) -> Any:
    """Row-major elements as nested lists of ``shape``.

    >>> nest([1, 2, 3, 4, 5, 6], (2, 3))
    [[1, 2, 3], [4, 5, 6]]
    """
    if len(shape) == 1:
        return list(flat)
    m = shape[1]
    return [flat[i * m:(i + 1) * m] for i in range(shape[0])]


def flatten(nested: Any) -> list:
    """Nested lists (1-D or 2-D) as a flat row-major list.

    >>> flatten([[1, 2], [3, 4]]), flatten([1, 2])
    ([1, 2, 3, 4], [1, 2])
    """
    return [x for row in nested for x in row] if nested and isinstance(nested[0], list) else list(nested)


def _broadcast(a: Tensor, b: Tensor, op: str) -> list[tuple[Value, Value]]:
    """Element pairs of two same-shape tensors, or of a matrix and a row vector repeated over its rows."""
    if a.shape == b.shape:
        return list(zip(a._flat, b._flat))
    if len(a.shape) == 2 and len(b.shape) == 1 and a.shape[1] == b.shape[0]:
        return list(zip(a._flat, b._flat * a.shape[0]))
    if len(b.shape) == 2 and len(a.shape) == 1 and b.shape[1] == a.shape[0]:
        return list(zip(a._flat * b.shape[0], b._flat))
    raise ValueError(f"'{op}' needs tensors of the same shape, or a 1-D one as long as the other's rows "
                     f"(added to every row), got shapes {a.shape} and {b.shape}")


def _scalar_result(value: Value, kind: str, inputs: tuple, **params: Any) -> Value:
    """A reduction's or loss's Value, tagged with its record (a tensor of shape ())."""
    record = TensorOp(kind, inputs, (), "", params)
    _tag([value], record, _element_ids(inputs))
    return value


def _element_ids(inputs: tuple) -> set[int]:
    return {id(v) for t in inputs if isinstance(t, Tensor) for v in t._flat}


def _unary_method(op: Op) -> Callable[..., Tensor]:
    params = [name for name, _ in op.params]

    def method(self: Tensor, *args: object) -> Tensor:
        if len(args) > len(params):
            raise TypeError(f"{op.method}() takes at most {len(params)} parameter(s) ({', '.join(params) or 'none'}), "
                            f"got {len(args)}")
        return self._unary(op, *args)

    method.__name__ = method.__qualname__ = op.method
    method.__doc__ = f"{op.name} of every element (one node each): {op.rule()}."
    return method


UNARY = [op for op in TABLE if op.forward and len(op.operands) == 1 and not op.method.startswith("__")]
for _op in UNARY:
    setattr(Tensor, _op.method, _unary_method(_op))


# ---- losses: each the mean over rows, one Value tagged as a tensor op ----

def _targets(y: object, shape: Shape, what: str) -> list[float]:
    try:
        flat, y_shape = _flat_shape(y.data if isinstance(y, Tensor) else y)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{what}: y (the targets) {error}") from None
    if y_shape != shape:
        raise ValueError(f"{what} needs targets y of the predictions' shape, got shapes {shape} and {y_shape}")
    return [x.data if isinstance(x, Value) else as_float(x, f"{what} target") for x in flat]


def mse(pred: Tensor, y: object) -> Value:
    """Mean squared error over every element, ``mean((pred - y)^2)`` (as torch's ``mse_loss``).

    >>> mse(Tensor([1.0, 3.0]), [0.0, 1.0]).data
    2.5
    """
    _need_tensor(pred, "mse", "pred")
    targets = _targets(y, pred.shape, "mse")
    loss = Value.sum([(p - t) ** 2 for p, t in zip(pred._flat, targets)]) / len(targets)
    loss.label = "L"
    return _scalar_result(loss, "mse", (pred, targets))


def bce(p: Tensor, y: object) -> Value:
    """Binary cross-entropy of probabilities, ``-mean(y log p + (1 - y) log(1 - p))`` over every element.

    >>> round(bce(Tensor([0.8, 0.4]), [1.0, 0.0]).data, 6)
    0.366985
    """
    _need_tensor(p, "bce", "p")
    targets = _targets(y, p.shape, "bce")
    terms = []
    for k, (q, t) in enumerate(zip(p._flat, targets)):
        if not 0.0 < q.data < 1.0:
            raise ValueError(f"bce needs probabilities strictly between 0 and 1, got {q.data} at {element_name('p', p.shape, k)}")
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"bce needs targets between 0 and 1, got {t}")
        if t:
            terms.append(q.log() * t)
        if t != 1.0:
            terms.append((1 - q).log() * (1.0 - t))
    loss = -Value.sum(terms) / len(targets)
    loss.label = "L"
    return _scalar_result(loss, "bce", (p, targets))


def softmax_cross_entropy(logits: Tensor, targets: Sequence[int]) -> Value:
    """Cross-entropy of the softmax of each row against its class index, the mean over rows.

    Written stably (log-sum-exp shifted by the row's largest logit, a constant).

    >>> round(softmax_cross_entropy(Tensor([[2.0, 0.0], [0.0, 0.0]]), [0, 1]).data, 6)
    0.410038
    """
    _need_tensor(logits, "softmax_cross_entropy", "logits")
    if not isinstance(targets, Tensor):
        check_sequence(targets, "targets", "class indices, one per row")
    if len(logits.shape) != 2:
        raise ValueError(f"softmax_cross_entropy needs 2-D logits (one row per example), got shape {logits.shape}")
    n, m = logits.shape
    given: list[Any] = list(targets.data if isinstance(targets, Tensor) else targets)
    if len(given) != n:
        raise ValueError(f"softmax_cross_entropy needs one class per row: logits of shape {logits.shape}, "
                         f"{len(given)} targets")
    for t in given:
        if isinstance(t, bool) or not isinstance(t, int) and not (isinstance(t, float) and t.is_integer()) or not 0 <= t < m:
            raise ValueError(f"softmax_cross_entropy targets are class indices, whole numbers from 0 to {m - 1}, got {t!r}")
    classes = [int(t) for t in given]
    losses = []
    for i, t in enumerate(classes):
        row = logits._flat[i * m:(i + 1) * m]
        top = max(z.data for z in row)
        losses.append(Value.sum([(z - top).exp() for z in row]).log() + top - row[t])
    loss = Value.sum(losses) / n
    loss.label = "L"
    return _scalar_result(loss, "softmax_cross_entropy", (logits, classes))


def _need_tensor(x: object, what: str, name: str) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{what} needs a Tensor of predictions ({name}), got {type(x).__name__}")


# ---- the rules: each kind of tensor op, its rule per input and that rule on floats ----

Matrix = list[list[float]]


def _matmul(a: Matrix, b: Matrix) -> Matrix:
    columns = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


def _transpose(a: Matrix) -> Matrix:
    return [list(col) for col in zip(*a)]


def _as_matrix(x: Any, column: bool = False) -> Matrix:
    """A vector as a one-row (or one-column) matrix; a matrix as it is."""
    if x and isinstance(x[0], list):
        return x
    return [[v] for v in x] if column else [list(x)]


@dataclass(frozen=True)
class Kind:
    """One kind of tensor op: its rule for each input (``$G`` = dL/d(output)) and the rule evaluated.

    ``grads(record, upstream, out)`` returns, per input slot, that input's share of dL/d(input)
    (nested floats) or None for a constant; ``upstream`` is dL/d(output), ``out`` the output's nodes.
    """

    name: str
    rules: Callable[[TensorOp], tuple[str | None, ...]]
    grads: Callable[[TensorOp, Any, list[Value]], tuple[Any, ...]]


def _data(t: object) -> Any:
    return t.data if isinstance(t, Tensor) else t


def _matmul_grads(record: TensorOp, g: Any, out: list[Value]) -> tuple[Any, ...]:
    a, b = record.inputs
    A, B = a.data, b.data
    if len(a.shape) == 2 and len(b.shape) == 2:
        return _matmul(g, _transpose(B)), _matmul(_transpose(A), g)
    if len(a.shape) == 2:  # matrix @ vector
        return [[gi * bj for bj in B] for gi in g], [row[0] for row in _matmul(_transpose(A), _as_matrix(g, True))]
    return [row[0] for row in _matmul(B, _as_matrix(g, True))], [[ai * gj for gj in g] for ai in A]  # vector @ matrix


def _matmul_rules(record: TensorOp) -> tuple[str | None, ...]:
    a, b = record.inputs
    if len(a.shape) == 2 and len(b.shape) == 2:
        return "$G · $Bᵀ", "$Aᵀ · $G"
    if len(a.shape) == 2:
        return "$G ⊗ $B (outer product)", "$Aᵀ · $G"
    return "$B · $G", "$A ⊗ $G (outer product)"


def _local(out: list[Value], slot: int, record: TensorOp) -> list[float]:
    """Each output node's local derivative by the input in ``slot`` (its recorded float)."""
    return [edges(v)[1][slot] for v in out]


def _fold(flat: list[float], into: Tensor, out_shape: Shape) -> Any:
    """An output-shaped gradient summed onto an input's shape (a row vector broadcast over rows)."""
    if into.shape == out_shape:
        return nest(flat, out_shape)
    m = into.shape[0]
    return [sum(flat[j::m]) for j in range(m)]


def _elementwise_grads(record: TensorOp, g: Any, out: list[Value]) -> tuple[Any, ...]:
    upstream = flatten(g)
    tensors = [k for k, x in enumerate(record.inputs) if isinstance(x, Tensor)]
    results: list[Any] = [None] * len(record.inputs)
    for slot, k in enumerate(tensors):  # the Value parents are in the tensors' order
        local = _local(out, slot, record) if len(tensors) == 2 else _local(out, 0, record)
        results[k] = _fold([u * d for u, d in zip(upstream, local)], record.inputs[k], record.shape)
    return tuple(results)


def _elementwise_rules(record: TensorOp) -> tuple[str | None, ...]:
    op = BY_NAME[record.kind]
    names = {}
    for operand, x in zip(op.operands, record.inputs):
        names[operand] = f"${'AB'[op.operands.index(operand)]}" if isinstance(x, Tensor) else format_constant(x)
    names["out"] = "$O"
    names |= {name: format_constant(v) for (name, _), v in zip(op.params, record.params.get("params", ()))}
    rules: list[str | None] = []
    for k, x in enumerate(record.inputs):
        if not isinstance(x, Tensor):
            rules.append(None)
            continue
        local = op.derivative_text(k, **names)
        rule = _times_upstream(local)
        if record.inputs[k].shape != record.shape:
            rule = f"Σ_rows ({rule})"
        rules.append(rule)
    return tuple(rules)


def _times_upstream(local: str) -> str:
    """``$G ⊙ local``, simplified where the local derivative is 1, -1 or a number."""
    if local == "1":
        return "$G"
    if local == "-1":
        return "-$G"
    try:
        float(local)
        return f"{local} · $G"
    except ValueError:
        pass
    return f"$G ⊙ {local}" if binding(local) >= 2.5 else f"$G ⊙ ({local})"


def _unary_rules(record: TensorOp) -> tuple[str | None, ...]:
    op = BY_NAME[record.kind]
    names = {"x": "$A", "out": "$O"} | {name: format_constant(v) for (name, _), v
                                         in zip(op.params, record.params.get("params", ()))}
    return (_times_upstream(op.derivative_text(0, **names)),)


def _unary_grads(record: TensorOp, g: Any, out: list[Value]) -> tuple[Any, ...]:
    return (nest([u * d for u, d in zip(flatten(g), _local(out, 0, record))], record.shape),)


def _reduce_rules(record: TensorOp) -> tuple[str | None, ...]:
    shape = record.inputs[0].shape
    ones = f"ones{shape}" if len(shape) == 2 else f"ones({shape[0]})"
    scale = "" if record.kind == "sum" else f" / {record.params['count']}"
    axis = record.params["axis"]
    if record.shape == ():
        return (f"$G{scale} · {ones}",)
    if axis == 0:
        return (f"$G{scale} copied to each of the {shape[0]} rows",)
    return (f"$G{scale} copied to each of the {shape[1]} columns",)


def _reduce_grads(record: TensorOp, g: Any, out: list[Value]) -> tuple[Any, ...]:
    shape = record.inputs[0].shape
    scale = 1.0 if record.kind == "sum" else 1.0 / record.params["count"]
    if record.shape == ():
        return (nest([g * scale] * _size(shape), shape),)
    n, m = shape
    if record.params["axis"] == 0:
        return ([[g[j] * scale for j in range(m)] for _ in range(n)],)
    return ([[g[i] * scale] * m for i in range(n)],)


def _size(shape: Shape) -> int:
    size = 1
    for s in shape:
        size *= s
    return size


def _mse_grads(record: TensorOp, g: float, out: list[Value]) -> tuple[Any, ...]:
    pred, y = record.inputs
    p = flatten(pred.data)
    return nest([g * 2.0 * (a - b) / len(y) for a, b in zip(p, y)], pred.shape), None


def _bce_grads(record: TensorOp, g: float, out: list[Value]) -> tuple[Any, ...]:
    pred, y = record.inputs
    p = flatten(pred.data)
    return nest([g * (a - b) / (a * (1.0 - a)) / len(y) for a, b in zip(p, y)], pred.shape), None


def _softmax_grads(record: TensorOp, g: float, out: list[Value]) -> tuple[Any, ...]:
    logits, classes = record.inputs

    rows = []
    for row, t in zip(logits.data, classes):
        top = max(row)
        e = [math.exp(z - top) for z in row]
        total = sum(e)
        rows.append([g * (ek / total - (1.0 if k == t else 0.0)) / len(classes) for k, ek in enumerate(e)])
    return rows, None


def _n(record: TensorOp) -> str:
    return str(_size(record.inputs[0].shape) if record.kind != "softmax_cross_entropy" else record.inputs[0].shape[0])


KINDS: dict[str, Kind] = {
    "@": Kind("@", _matmul_rules, _matmul_grads),
    "T": Kind("T", lambda r: ("$Gᵀ",), lambda r, g, out: (_transpose(g),)),
    "sum": Kind("sum", _reduce_rules, _reduce_grads),
    "mean": Kind("mean", _reduce_rules, _reduce_grads),
    "mse": Kind("mse", lambda r: (f"$G · 2 ($A - y) / {_n(r)}", None), _mse_grads),
    "bce": Kind("bce", lambda r: (f"$G · ($A - y) ⊘ ($A ⊙ (1 - $A)) / {_n(r)}", None), _bce_grads),
    "softmax_cross_entropy": Kind("softmax_cross_entropy",
                                  lambda r: (f"$G · (softmax($A) - onehot(t)) / {_n(r)}", None), _softmax_grads),
    **{str(op): Kind(str(op), _elementwise_rules, _elementwise_grads) for op in TABLE
       if op.forward and len(op.operands) == 2 and op.symbol_kind == "infix"},
    **{str(op): Kind(str(op), _unary_rules, _unary_grads) for op in TABLE
       if op.forward and len(op.operands) == 1},
}
