"""Value: one float in a computation graph, and every op with its local derivative beside it.

Each op computes its result and d(result)/d(operand) at forward time, as floats, and
records them with its operands. A number operand (``x * 3``) is a constant: it becomes
part of the local derivative, not a node. ``backward()`` then needs no per-op code at all:
see ``graph.backpropagate``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter, mul
from typing import Union

from . import graph, trace
from .modes import MODE, AnomalyError
from .trace import BackwardStep
from .text import format_number

Operand = Union["Value", int, float]

_new = object.__new__
_get_data = attrgetter("data")


def as_float(x: object, what: str = "Value") -> float:
    """``x`` as a float if it is a real number (int, float, bool, a numpy scalar), else TypeError.

    >>> as_float(3), as_float(True)
    (3.0, 1.0)
    >>> as_float("3")
    Traceback (most recent call last):
    ...
    TypeError: Value needs a real number (int, float, bool or a numpy scalar), got str: '3'
    """
    if type(x) is float:
        return x
    if type(x) is int or isinstance(x, numbers.Real) or _is_numpy_real(x):  # int first: the ABC check is slow
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(f"{what}: {x!r:.40} is too large for a float (largest about 1.8e308)") from None
    raise TypeError(
        f"{what} needs a real number (int, float, bool or a numpy scalar), "
        f"got {type(x).__name__}: {x!r:.40}"
        + (" (use .detach() to copy a Value)" if isinstance(x, Value) else "")
    )


def _is_numpy_real(x: object) -> bool:
    dtype = getattr(x, "dtype", None)
    return getattr(dtype, "kind", "") in ("b", "i", "u", "f") and getattr(x, "shape", None) == ()


def _data_of(x: object, op: str) -> float:
    """An operand's number: a Value's data or a constant; TypeError naming ``op`` otherwise."""
    if isinstance(x, Value):
        return x.data
    return as_float(x, f"'{op}'")


def _node(data: float, op: str, parents: tuple[Value, ...] | Value,
          local_grads: tuple[float, ...] | float) -> Value:
    """A new result node; ``parents``/``local_grads`` are tuples, or bare for one parent."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if MODE.plain:
        out.op, out._parents, out._local_grads = op, parents, local_grads
        return out
    if MODE.anomaly:
        _check_forward(data, op, parents, local_grads)
    if MODE.recording:
        out.op, out._parents, out._local_grads = op, parents, local_grads
    else:
        out.op, out._parents, out._local_grads = "", (), ()
    return out


def _check_forward(data: float, op: str, parents: tuple[Value, ...] | Value,
                   local_grads: tuple[float, ...] | float) -> None:
    if not isinstance(parents, tuple):
        parents, local_grads = (parents,), (local_grads,)
    inputs = ", ".join(format_number(p.data, 6) for p in parents)
    for what, number in [("the result", data), *(("the local derivative", d) for d in local_grads)]:
        if not math.isfinite(number):
            raise AnomalyError(f"detect_anomaly: '{op}' gave {what} {number}; inputs: {inputs}")


def _power(base: float, exponent: float) -> float:
    """``base ** exponent`` over the reals, with an error that says what is wrong."""
    if base == 0 and exponent < 0:
        raise ZeroDivisionError(f"'**' raises zero to a negative power: 0.0 ** {exponent}")
    if base < 0 and not exponent.is_integer():
        raise ValueError(
            f"'**' of a negative base needs an integer exponent, got {base} ** {exponent}"
        )
    try:
        return base**exponent
    except OverflowError:
        raise OverflowError(f"'**' overflows a float: {base} ** {exponent}") from None


def _base_derivative(base: float, exponent: float, result: float) -> float:
    """d(base ** exponent)/d(base) = exponent * base ** (exponent - 1), PyTorch's value at 0."""
    if exponent == 0:
        return 0.0
    if base == 0:
        return math.inf if exponent < 1 else float(exponent == 1)
    return exponent * result / base


def _exponent_derivative(base: float, result: float) -> float:
    """d(base ** exponent)/d(exponent) = base ** exponent * ln(base): 0 at base 0, NaN below."""
    if base > 0:
        return result * math.log(base)
    return 0.0 if base == 0 else math.nan


class Value:
    """One scalar in a computation graph: ``data``, ``grad`` and how it was made.

    >>> x = Value(2.0, "x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)
    """

    __slots__ = ("data", "grad", "label", "op", "_parents", "_local_grads")
    data: float
    grad: float
    label: str
    op: str
    _parents: tuple[Value, ...] | Value  # bare when there is one parent: see graph.py
    _local_grads: tuple[float, ...] | float

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r:.40}")
        self.data = as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self._parents = ()
        self._local_grads = ()

    # ---- the graph, as the public API shows it ----

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from (empty for a leaf)."""
        return graph.edges(self)[0]

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(parent) for each parent, in the order of ``parents``."""
        return graph.edges(self)[1]

    def __repr__(self) -> str:
        text = f"Value(data={format_number(self.data)}, grad={format_number(self.grad)}"
        if self.op:
            text += f", op={self.op!r}"
        if self.label:
            text += f", label={self.label!r}"
        return text + ")"

    def __float__(self) -> float:
        return self.data

    # No __eq__ or __hash__ here: identity, so Values work as set members and dict keys.

    # ---- arithmetic: the result, then d/d(self) and d/d(other); a number operand is a constant ----

    def __add__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _node(self.data + other.data, "+", (self, other), (1.0, 1.0))
        return _node(self.data + as_float(other, "'+'"), "+", self, 1.0)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _node(self.data - other.data, "-", (self, other), (1.0, -1.0))
        return _node(self.data - as_float(other, "'-'"), "-", self, 1.0)

    def __rsub__(self, other: float) -> Value:
        return _node(as_float(other, "'-'") - self.data, "-", self, -1.0)

    def __mul__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _node(self.data * other.data, "*", (self, other), (other.data, self.data))
        c = as_float(other, "'*'")
        return _node(self.data * c, "*", self, c)

    __rmul__ = __mul__

    def __truediv__(self, other: Operand) -> Value:
        a, b = self.data, _data_of(other, "/")
        if b == 0:
            raise ZeroDivisionError(f"'/' divides by zero: {a} / {b}")
        if isinstance(other, Value):
            return _node(a / b, "/", (self, other), (1.0 / b, -a / (b * b)))
        return _node(a / b, "/", self, 1.0 / b)

    def __rtruediv__(self, other: float) -> Value:
        a, b = as_float(other, "'/'"), self.data
        if b == 0:
            raise ZeroDivisionError(f"'/' divides by zero: {a} / {b}")
        return _node(a / b, "/", self, -a / (b * b))

    def __pow__(self, other: Operand) -> Value:
        a, b = self.data, _data_of(other, "**")
        result = _power(a, b)
        d_base = _base_derivative(a, b, result)
        if isinstance(other, Value):
            return _node(result, "**", (self, other), (d_base, _exponent_derivative(a, result)))
        return _node(result, "**", self, d_base)

    def __rpow__(self, other: float) -> Value:
        base = as_float(other, "'**'")
        result = _power(base, self.data)
        return _node(result, "**", self, _exponent_derivative(base, result))

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", self, -1.0)

    def __abs__(self) -> Value:
        x = self.data
        return _node(abs(x), "abs", self, (x > 0) - (x < 0) + 0.0)

    # ---- comparisons look at data; == stays identity so Values can be dict keys ----

    def __lt__(self, other: Operand) -> bool:
        return self.data < _data_of(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data_of(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data_of(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data_of(other, ">=")

    # ---- functions: result, then d(result)/dx ----

    def exp(self) -> Value:
        """e ** x; d/dx = e ** x.

        >>> y = Value(0.0).exp(); y.data, y.local_grads
        (1.0, (1.0,))
        """
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp overflows a float at x={self.data} (it is finite for x < 709.78)") from None
        return _node(result, "exp", self, result)

    def log(self) -> Value:
        """Natural log; d/dx = 1/x. Needs x > 0.

        >>> Value(2.0).log().local_grads
        (0.5,)
        """
        x = self.data
        if not x > 0:
            raise ValueError(f"log needs x > 0, got {x}")
        return _node(math.log(x), "log", self, 1.0 / x)

    def tanh(self) -> Value:
        """Hyperbolic tangent; d/dx = 1 - tanh(x)**2.

        >>> y = Value(0.0).tanh(); y.data, y.local_grads
        (0.0, (1.0,))
        """
        t = math.tanh(self.data)
        return _node(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self) -> Value:
        """1 / (1 + e**-x), computed without overflow for any x; d/dx = s * (1 - s).

        >>> y = Value(0.0).sigmoid(); y.data, y.local_grads
        (0.5, (0.25,))
        """
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return _node(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Value:
        """max(0, x); d/dx = 1 for x > 0, else 0 (0 at the kink, as in PyTorch).

        >>> Value(-2.0).relu().data, Value(3.0).relu().local_grads
        (0.0, (1.0,))
        """
        x = self.data
        return _node(x if x > 0 else 0.0, "relu", self, 1.0 if x > 0 else 0.0)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, else slope * x; d/dx = 1 or slope (slope at 0, as in PyTorch).

        >>> Value(-2.0).leaky_relu(0.1).data
        -0.2
        """
        slope = as_float(slope, "leaky_relu slope")
        x = self.data
        return _node(x if x > 0 else slope * x, "leaky_relu", self, 1.0 if x > 0 else slope)

    def sin(self) -> Value:
        """sin x; d/dx = cos x.

        >>> Value(0.0).sin().local_grads
        (1.0,)
        """
        return _node(math.sin(self.data), "sin", self, math.cos(self.data))

    def cos(self) -> Value:
        """cos x; d/dx = -sin x.

        >>> Value(0.0).cos().data
        1.0
        """
        return _node(math.cos(self.data), "cos", self, -math.sin(self.data))

    def sqrt(self) -> Value:
        """Square root; d/dx = 1 / (2 sqrt x), infinite at 0 (as in PyTorch). Needs x >= 0.

        >>> y = Value(4.0).sqrt(); y.data, y.local_grads
        (2.0, (0.25,))
        """
        x = self.data
        if not x >= 0:
            raise ValueError(f"sqrt needs x >= 0, got {x}")
        root = math.sqrt(x)
        return _node(root, "sqrt", self, 0.5 / root if root else math.inf)

    # ---- n-ary ops: one node however many operands ----

    @staticmethod
    def sum(terms: Iterable[Operand]) -> Value:
        """The sum of Values and numbers as one node; d/d(term) = 1.

        >>> Value.sum([Value(1.0), 2, Value(3.0)])
        Value(data=6.0, grad=0.0, op='sum')
        """
        terms = list(terms)
        if set(map(type, terms)) == {Value}:  # the common case, at C speed
            return _nary(sum(map(_get_data, terms)), "sum", terms, [1.0] * len(terms))
        total = 0.0
        parents = []
        for term in terms:
            total += _data_of(term, "sum")
            if isinstance(term, Value):
                parents.append(term)
        return _nary(total, "sum", parents, [1.0] * len(parents))

    @staticmethod
    def dot(xs: Sequence[Operand], ys: Sequence[Operand], start: Operand = 0.0) -> Value:
        """sum(x * y for x, y in zip(xs, ys)) + start as one node; d/dx_i = y_i, d/dy_i = x_i.

        ``start`` (a Value or a number) is added with derivative 1: a neuron's bias, so that
        the whole weighted sum is one node.

        >>> w = [Value(2.0), Value(-1.0)]
        >>> Value.dot(w, [3.0, 4.0], start=0.5).data
        2.5
        """
        return Value.dots([xs], ys, [start])[0]

    @staticmethod
    def dots(rows: Sequence[Sequence[Operand]], ys: Sequence[Operand],
             starts: Sequence[Operand] | None = None) -> list[Value]:
        """``[dot(row, ys, start) for row, start in zip(rows, starts)]``, reading ``ys`` once.

        A layer of neurons is exactly this: every neuron's weights against the same inputs.

        >>> [v.data for v in Value.dots([[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]], [1.0, 10.0])]
        [21.0, 43.0]
        """
        ys = ys if isinstance(ys, (list, tuple)) else list(ys)
        starts = [0.0] * len(rows) if starts is None else starts
        if len(starts) != len(rows):
            raise ValueError(f"dots needs one start per row, got {len(starts)} starts for {len(rows)} rows")
        y_kinds = set(map(type, ys))
        # Whole lists of Values or of floats go through C-level map/sum: the shapes layers make.
        y_data = list(map(_get_data, ys)) if y_kinds == {Value} else ys if y_kinds == {float} else None
        out = []
        for xs, start in zip(rows, starts):
            xs = xs if isinstance(xs, (list, tuple)) else list(xs)
            if len(xs) != len(ys):
                raise ValueError(f"dot needs two sequences of the same length, got {len(xs)} and {len(ys)}")
            if isinstance(start, Value):
                parents, local_grads, total = [start], [1.0], start.data
            else:
                parents, local_grads, total = [], [], _data_of(start, "dot")
            if y_data is not None and set(map(type, xs)) == {Value}:
                if y_data is ys:  # numbers: only the xs get gradients
                    total = sum(map(mul, map(_get_data, xs), ys), total)
                    out.append(_node(total, "dot", (*xs, *parents), (*ys, *local_grads)))
                else:
                    x_data = list(map(_get_data, xs))
                    total = sum(map(mul, x_data, y_data), total)
                    out.append(_node(total, "dot", (*xs, *ys, *parents), (*y_data, *x_data, *local_grads)))
                continue
            for x, y in zip(xs, ys):
                a, b = _data_of(x, "dot"), _data_of(y, "dot")
                total += a * b
                if isinstance(x, Value):
                    parents.append(x)
                    local_grads.append(b)
                if isinstance(y, Value):
                    parents.append(y)
                    local_grads.append(a)
            out.append(_nary(total, "dot", parents, local_grads))
        return out

    # ---- the backward pass ----

    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) * grad to the ``.grad`` of every node this Value depends on.

        Grads accumulate across calls, as in PyTorch: zero them between passes.

        >>> x = Value(3.0); y = x * x
        >>> y.backward(); x.grad
        6.0
        """
        graph.backpropagate(self, as_float(grad, "backward grad"))

    def backward_steps(self, grad: float = 1.0, digits: int = 4) -> Iterator[BackwardStep]:
        """``backward()`` one node at a time: each ``next()`` returns a ``BackwardStep``.

        >>> x = Value(3.0, "x"); y = x * 2; y.label = "y"
        >>> print(next(y.backward_steps()))
        dy/dx += dy/dy * dy/dx = 1.0 * 2.0 = 2.0
        """
        return trace.backward_steps(self, as_float(grad, "backward_steps grad"), digits)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0 on this Value and every node under it.

        >>> x = Value(3.0); y = x * x; y.backward(); y.zero_grad(); x.grad
        0.0
        """
        for node in graph.topological_order(self):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from the graph.

        >>> Value(2.0, "x").detach() * 3
        Value(data=6.0, grad=0.0, op='*')
        """
        return Value(self.data, self.label)


def _nary(data: float, op: str, parents: list[Value], local_grads: list[float]) -> Value:
    if not parents:
        return Value(data)
    if len(parents) == 1:
        return _node(data, op, parents[0], local_grads[0])
    return _node(data, op, tuple(parents), tuple(local_grads))


