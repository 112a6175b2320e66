"""Value: one float in a computation graph; its ops are written out from the table in ``ops.py`` (this folder).

Each op computes its result and d(result)/d(operand) at forward time, as floats, and
records them with its operands. A number operand (``x * 3``) is a constant: it becomes
part of the local derivative, not a node, and the node keeps it exactly (with any
parameter, like leaky_relu's slope) beside its table entry, ``node.op``. ``backward()``
then needs no per-op code at all: see ``graph.backpropagate``.

The methods of the table's ops (``x.tanh()``, ``x * y``) are generated from each entry's
forward and derivative expressions by ``_install`` at the bottom of this file: the
expressions are inlined, so a method runs exactly the code one would write by hand.
The n-ary ``sum`` and ``dot`` are written here, with fast paths for the shapes layers make.
"""

from __future__ import annotations

import linecache
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter, mul
from typing import TYPE_CHECKING, Any, Union

from . import graph
from .arguments import is_numpy_real as _is_numpy_real
from .formatting import format_number
from .modes import MODE, AnomalyError
from .ops import BY_NAME, LEAF, TABLE, Op

if TYPE_CHECKING:
    from .steps import BackwardStep

Operand = Union["Value", int, float]

_new = object.__new__
_get_data = attrgetter("_data")  # the slot itself: ``.data`` is a checked property


class FloatOverflowError(OverflowError, ValueError):
    """A number or an op's result too large for a float; a ``ValueError`` too (the input was out of range)."""


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
            return float(x)  # type: ignore[arg-type]  # a real number, checked above
        except OverflowError:
            shown = f"an int of {len(str(x)) if x.bit_length() < 4000 else 'over 1200'} digits" if isinstance(x, int) \
                else f"{x!r:.40}"
            raise FloatOverflowError(f"{what}: {shown} is too large for a float (largest about 1.8e308)") from None
    raise TypeError(
        f"{what} needs a real number (int, float, bool or a numpy scalar), "
        f"got {type(x).__name__}: {x!r:.40}"
        + (" (use .detach() to copy a Value)" if isinstance(x, Value) else "")
    )


def _drops_gradient(call: str, fix: str) -> str:
    """The message of float(v), int(v), round(v): each would cut the Value out of the graph silently."""
    return f"{call} of a Value would drop its gradient silently: {fix}"


def _data_of(x: object, op: str) -> float:
    """An operand's number: a Value's data or a constant; TypeError naming ``op`` otherwise."""
    if isinstance(x, Value):
        return x._data
    return as_float(x, f"'{op}'")


def _node(data: float, op: Op, parents: tuple[Value, ...] | Value,
          local_grads: tuple[float, ...] | float) -> Value:
    """A new result node; ``parents``/``local_grads`` are tuples, or bare for one parent.

    ``op`` is the table entry. An op with a constant operand or a parameter then sets
    ``_consts``; other nodes leave that slot empty (storing None in every node costs ~40 ns each).
    """
    out = _new(Value)
    out._data = data
    out.grad = 0.0
    out._label = ""
    if MODE.plain:
        out.op, out._parents, out._local_grads = op, parents, local_grads
        return out
    if MODE.anomaly:
        _check_forward(data, op, parents, local_grads)
    if MODE.recording:
        out.op, out._parents, out._local_grads = op, parents, local_grads
    else:
        out.op, out._parents, out._local_grads = LEAF, (), ()
    return out


def _check_forward(data: float, op: Op, parents: tuple[Value, ...] | Value,
                   local_grads: tuple[float, ...] | float) -> None:
    values = parents if isinstance(parents, tuple) else (parents,)
    derivatives = local_grads if isinstance(local_grads, tuple) else (local_grads,)
    inputs = ", ".join(format_number(p.data, 6) for p in values)
    for what, number in [("the result", data), *(("the local derivative", d) for d in derivatives)]:
        if not math.isfinite(number):
            raise AnomalyError(f"detect_anomaly: '{op}' gave {what} {number}; inputs: {inputs}")


class Value:
    """One scalar in a computation graph: ``data``, ``grad`` and how it was made.

    >>> x = Value(2.0, "x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)
    """

    __slots__ = ("_data", "grad", "_label", "op", "_parents", "_local_grads", "_consts")
    _data: float
    grad: float
    _label: str
    op: Op  # LEAF ('') for a leaf
    _parents: tuple[Value, ...] | Value  # bare when there is one parent: see graph.py
    _local_grads: tuple[float, ...] | float
    _consts: Any  # the op's constant operand or parameters, exactly as given; unset when it has none

    if TYPE_CHECKING:  # the table's methods, which _install puts on the class at import
        # BEGIN op methods: generated by tools/op_types.py from the op table; do not edit
        def __add__(self, other: Operand) -> Value: ...
        def __radd__(self, other: float) -> Value: ...
        def __sub__(self, other: Operand) -> Value: ...
        def __rsub__(self, other: float) -> Value: ...
        def __mul__(self, other: Operand) -> Value: ...
        def __rmul__(self, other: float) -> Value: ...
        def __truediv__(self, other: Operand) -> Value: ...
        def __rtruediv__(self, other: float) -> Value: ...
        def __pow__(self, other: Operand) -> Value: ...
        def __rpow__(self, other: float) -> Value: ...
        def __mod__(self, other: Operand) -> Value: ...
        def __rmod__(self, other: float) -> Value: ...
        def _maximum(self, other: Operand) -> Value: ...
        def _rmaximum(self, other: float) -> Value: ...
        def _minimum(self, other: Operand) -> Value: ...
        def _rminimum(self, other: float) -> Value: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def log2(self) -> Value: ...
        def log10(self) -> Value: ...
        def log1p(self) -> Value: ...
        def expm1(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def relu(self) -> Value: ...
        def leaky_relu(self, slope: float | None = None) -> Value: ...
        def softplus(self) -> Value: ...
        def clamp(self, lo: float | None = None, hi: float | None = None) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def tan(self) -> Value: ...
        def asin(self) -> Value: ...
        def acos(self) -> Value: ...
        def atan(self) -> Value: ...
        def sinh(self) -> Value: ...
        def cosh(self) -> Value: ...
        # END op methods

    def __init__(self, data: float, label: str = "") -> None:
        self.label = label
        self._data = as_float(data)
        self.grad = 0.0
        self.op = LEAF
        self._parents = ()
        self._local_grads = ()

    @property
    def label(self) -> str:
        """The name pictures and explanations give this Value ('' for none: a name is made up)."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}: {label!r:.40}")
        self._label = label

    @property
    def data(self) -> float:
        """The number this Value holds (a float). Setting it takes any real number, as ``Value()`` does.

        >>> v = Value(1.0); v.data = 3; v.data
        3.0
        >>> v.data = "a"
        Traceback (most recent call last):
        ...
        TypeError: Value.data needs a real number (int, float, bool or a numpy scalar), got str: 'a'
        """
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        # ops and the engine's own loops read and write the slot _data: this check costs them nothing
        self._data = value if type(value) is float else as_float(value, "Value.data")

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

    def _repr_svg_(self) -> str | None:
        """In a notebook a Value shows its graph (up to 200 nodes, with Graphviz; else its repr)."""
        from ..show.drawing import svg_or_none

        return svg_or_none(self, edge_labels="rule")

    def __float__(self) -> float:
        raise TypeError(_drops_gradient("float()", "use v.item() for the number, or stay in the graph with the "
                                        "Value's methods (v.exp(), v.log(), v.tanh(), ...) instead of math.exp(v)"))

    def __int__(self) -> int:
        raise TypeError(_drops_gradient("int()", "use int(v.item()) for the number cut to an int"))

    def __round__(self, ndigits: int | None = None) -> float:
        raise TypeError(_drops_gradient("round()", 'use round(v.item(), n) for the number, or f"{v:.3f}" to show it'))

    def item(self) -> float:
        """The data as a plain float (no gradient flows through it).

        >>> Value(2.5).item()
        2.5
        """
        return self.data

    def __format__(self, spec: str) -> str:
        """``f"{v:.3f}"`` formats the data; ``f"{v}"`` is the repr.

        >>> f"{Value(2.0) / 3:.3f}"
        '0.667'
        """
        return format(self.data, spec) if spec else repr(self)

    def __eq__(self, other: object) -> bool:
        """Identity, not the numbers: ``Value(0) == 0`` and ``Value(1.0) == Value(1.0)`` are False.

        So Values work as set members and dict keys (a graph walk keeps them in sets). Compare
        the numbers with ``v.data == 0`` or ``v.item() == 0``; ``<``, ``<=``, ``>``, ``>=``
        do compare the numbers. (A PyTorch tensor's ``==`` is elementwise; a Value's is not.)

        >>> v = Value(0.0)
        >>> v == 0, v == v, v.data == 0, v <= 0
        (False, True, True, True)
        """
        return self is other

    __hash__ = object.__hash__  # identity, at C speed (defining __eq__ would otherwise unset it)

    def __bool__(self) -> bool:
        """Truth as a number's (and a one-element tensor's): ``if v:`` means ``if v.data != 0``.

        >>> bool(Value(0.0)), bool(Value(-2.0))
        (False, True)
        """
        return self.data != 0

    # ---- comparisons look at data; == stays identity so Values can be dict keys ----

    def __lt__(self, other: Operand) -> bool:
        return self.data < _data_of(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data_of(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data_of(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data_of(other, ">=")

    # ---- n-ary ops: one node however many operands ----

    @staticmethod
    def sum(terms: Iterable[Operand]) -> Value:
        """The sum of Values and numbers as one node; d/d(term) = 1.

        >>> Value.sum([Value(1.0), 2, Value(3.0)])
        Value(data=6.0, grad=0.0, op='sum')
        """
        if isinstance(terms, Value) or not isinstance(terms, Iterable):
            raise TypeError(f"terms must be a list of Values or numbers, got {type(terms).__name__}")
        terms = list(terms)
        if set(map(type, terms)) == {Value}:  # the common case, at C speed
            return _nary(sum(map(_get_data, terms)), SUM, terms, [1.0] * len(terms))  # type: ignore[arg-type]
        total = 0.0
        constant = None  # the sum of the number terms, recorded when there are any
        parents = []
        for term in terms:
            number = _data_of(term, "sum")
            total += number
            if isinstance(term, Value):
                parents.append(term)
            else:
                constant = number if constant is None else constant + number
        return _nary(total, SUM, parents, [1.0] * len(parents), constant)

    @staticmethod
    def dot(xs: Sequence[Operand], ys: Sequence[Operand], start: Operand = 0.0) -> Value:
        """sum(x * y for x, y in zip(xs, ys)) + start as one node; d/dx_i = y_i, d/dy_i = x_i.

        ``start`` (a Value or a number) is added with derivative 1: a neuron's bias, so that
        the whole weighted sum is one node.

        >>> w = [Value(2.0), Value(-1.0)]
        >>> Value.dot(w, [3.0, 4.0], start=0.5).data
        2.5
        """
        for name, given in (("xs", xs), ("ys", ys)):
            if isinstance(given, Value) or not isinstance(given, Iterable):
                raise TypeError(f"{name} must be a list of Values or numbers, got {type(given).__name__}")
        return Value.dots([xs], ys, [start])[0]

    @staticmethod
    def dots(rows: Sequence[Sequence[Operand]], ys: Sequence[Operand],
             starts: Sequence[Operand] | None = None) -> list[Value]:
        """``[dot(row, ys, start) for row, start in zip(rows, starts)]``, reading ``ys`` once.

        A layer of neurons is exactly this: every neuron's weights against the same inputs.
        A dot node's parents are laid out as ``(*xs, *ys, *singles)``: the n pairs where both
        factors are Values, then each Value whose factor is a number (its local derivative),
        the start last. It records ``(n, constant part of the sum)``.

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
                raise ValueError(f"dot needs xs and ys of the same length, got {len(xs)} and {len(ys)}")
            if isinstance(start, Value):
                starts_, start_grads, total, constant = [start], [1.0], start._data, 0.0
            else:
                starts_, start_grads, total = [], [], _data_of(start, "dot start")
                constant = total
            if y_data is not None and set(map(type, xs)) == {Value}:
                if y_data is ys:  # numbers: only the xs get gradients
                    total = sum(map(mul, map(_get_data, xs), ys), total)
                    out.append(_with_consts(_node(total, DOT, (*xs, *starts_), (*ys, *start_grads)), (0, constant)))
                else:
                    x_data = list(map(_get_data, xs))
                    total = sum(map(mul, x_data, y_data), total)
                    out.append(_with_consts(_node(total, DOT, (*xs, *ys, *starts_), (*y_data, *x_data, *start_grads)),
                                            (len(xs), constant)))
                continue
            pair_xs, pair_ys, singles, single_grads = [], [], [], []
            for x, y in zip(xs, ys):
                a, b = _data_of(x, "dot"), _data_of(y, "dot")
                total += a * b
                if isinstance(x, Value) and isinstance(y, Value):
                    pair_xs.append(x)
                    pair_ys.append(y)
                elif isinstance(x, Value) or isinstance(y, Value):
                    singles.append(x if isinstance(x, Value) else y)
                    single_grads.append(b if isinstance(x, Value) else a)
                else:
                    constant += a * b
            out.append(_nary(total, DOT, [*pair_xs, *pair_ys, *singles, *starts_],
                             [*map(_get_data, pair_ys), *map(_get_data, pair_xs), *single_grads, *start_grads],
                             (len(pair_xs), constant)))
        return out

    # ---- the backward pass ----

    def backward(self, grad: float = 1.0) -> None:
        """Add d(self)/d(node) * grad to the ``.grad`` of every node this Value depends on.

        Grads accumulate across calls, as in PyTorch: zero them between passes. A second
        ``backward()`` from a root whose ``.grad`` is not zero warns (``UserWarning``).

        >>> x = Value(3.0); y = x * x
        >>> y.backward(); x.grad
        6.0
        """
        grad = as_float(grad, "backward grad")
        if self.grad:
            warnings.warn(
                f"backward() from a Value whose .grad is already {self.grad:g}: grads accumulate across "
                "backward() calls, as in PyTorch; call zero_grad() (on this Value or the model) first "
                "to start a new pass from zero", UserWarning, stacklevel=2)
        graph.backpropagate(self, grad)

    def backward_steps(self, grad: float = 1.0, digits: int = 4) -> Iterator[BackwardStep]:
        """``backward()`` one node at a time: each ``next()`` returns a ``BackwardStep``.

        >>> x = Value(3.0, "x"); y = x * 2; y.label = "y"
        >>> print(next(y.backward_steps()))
        dy/dx += dy/dy · ∂y/∂x = 1.0 · 2.0 = 2.0
        """
        from .steps import (
            backward_steps,  # steps reads the graph through graph.py, as this module does
        )

        return backward_steps(self, as_float(grad, "backward_steps grad"), digits)

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


def _nary(data: float, op: Op, parents: list[Value], local_grads: list[float], consts: Any = None) -> Value:
    if not parents:
        return Value(data)
    if len(parents) == 1:
        return _with_consts(_node(data, op, parents[0], local_grads[0]), consts)
    return _with_consts(_node(data, op, tuple(parents), tuple(local_grads)), consts)


def _with_consts(node: Value, consts: Any) -> Value:
    """Record the node's constant operand or parameters (kept as given, so exactly)."""
    if consts is not None:
        node._consts = consts
    return node


# ---- the table's ops, written out as Value methods ----

SUM, DOT = BY_NAME["sum"], BY_NAME["dot"]


def _param(value: object, default: float, what: str) -> float:
    number = default if value is None else as_float(value, what)
    if number != number:
        raise ValueError(f"{what} must be a number, got nan")
    return number


def _reflected(method: str) -> str:
    """``__add__`` -> ``__radd__``, ``_maximum`` -> ``_rmaximum``."""
    stem = method.lstrip("_")
    return method[: len(method) - len(stem)] + "r" + stem


def _compute(op: Op, operands: str, indent: str) -> list[str]:
    """Source lines that check the domain and set ``out``, with the table's messages."""
    names = ", ".join(f"{n}={n}" for n in operands.split(", "))
    lines = [f"if not ({condition}): raise {error.__name__}(MESSAGE_{k}.format({names}))"
             for k, (condition, error, _) in enumerate(op.domain)]
    if op.overflow:
        lines += ["try:", f"    out = {op.forward}", "except OverflowError:",
                  f"    raise FloatOverflowError(OVERFLOW.format(op=OP, {names})) from None"]
    else:
        lines.append(f"out = {op.forward}")
    return [indent + line for line in lines]


def _source(op: Op) -> str:
    """The Python source of the Value methods for one table entry."""
    d = op.derivatives
    if len(op.operands) == 1:
        params = [name for name, _ in op.params]
        consts = "" if not params else params[0] if len(params) == 1 else f"({', '.join(params)})"
        return "\n".join([
            f"def {op.method}(self{''.join(f', {p}=None' for p in params)}):",
            *(f"    {p} = _param({p}, DEFAULT_{p}, '{op} {p}')" for p in params),
            "    x = self._data",
            *_compute(op, ", ".join(["x", *params]), "    "),
            f"    return _with_consts(_node(out, OP, self, {d[0]}), {consts})" if consts
            else f"    return _node(out, OP, self, {d[0]})",
        ])
    what = repr(f"'{op}'")
    return "\n".join([
        f"def {op.method}(self, other):",
        "    a = self._data",
        "    if isinstance(other, Value):",
        "        b = other._data",
        *_compute(op, "a, b", "        "),
        f"        return _node(out, OP, (self, other), ({d[0]}, {d[1]}))",
        f"    b = as_float(other, {what})",
        *_compute(op, "a, b", "    "),
        f"    node = _node(out, OP, self, {d[0]})",
        "    node._consts = other  # the constant, kept as given: exact",
        "    return node",
        "",
        f"def {_reflected(op.method)}(self, other):",
        f"    a = as_float(other, {what})",
        "    b = self._data",
        *_compute(op, "a, b", "    "),
        f"    node = _node(out, OP_CONSTANT_FIRST, self, {d[1]})",
        "    node._consts = other",
        "    return node",
    ])


def _install(op: Op) -> None:
    """Compile the entry's methods and put them on Value (with a docstring giving the rule)."""
    source = _source(op)
    filename = f"<autograd op {op}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # readable tracebacks
    namespace: dict[str, Any] = {
        "math": math, "Value": Value, "_node": _node, "_with_consts": _with_consts, "as_float": as_float, "_param": _param,
        "FloatOverflowError": FloatOverflowError,
        "OP": op, "OP_CONSTANT_FIRST": op.with_constant_first(), "OVERFLOW": op.overflow,
        **{f"MESSAGE_{k}": message for k, (_, _, message) in enumerate(op.domain)},
        **{f"DEFAULT_{name}": default for name, default in op.params},
    }
    exec(compile(source, filename, "exec"), namespace)
    for name, function in namespace.items():
        if callable(function) and getattr(function, "__code__", None) and function.__code__.co_filename == filename:
            function.__qualname__ = f"Value.{name}"
            function.__module__ = __name__
            function.__doc__ = _docstring(op)
            setattr(Value, name, function)


def example(op: Op) -> str:
    """A call of the op that runs, as its docstring shows it: ``Value(0.5).clamp(-1.0, 1.0)``, ``abs(Value(0.5))``.

    >>> example(BY_NAME["abs"]), example(BY_NAME["clamp"]), example(BY_NAME["maximum"])
    ('abs(Value(0.5))', 'Value(0.5).clamp(-1.0, 1.0)', 'maximum(Value(0.5), 2.0)')
    """
    params = ", ".join(repr(default) if math.isfinite(default) else repr(math.copysign(1.0, default))
                       for _, default in op.params)
    if op.symbol_kind == "prefix":
        return "-Value(0.5)"
    if op.symbol_kind == "infix":
        return f"Value(0.5) {op} 2.0"
    if len(op.operands) == 2:
        return f"{op.name}(Value(0.5), 2.0)"
    if op.method.startswith("__"):  # a builtin's hook: abs(v)
        return f"{op.method.strip('_')}(Value(0.5))"
    return f"Value(0.5).{op.method}({params})"


def _docstring(op: Op) -> str:
    rules = "; ".join(op.rule(k) for k in range(len(op.operands)))
    return (f"{op.formula()}: {rules}. Defined for {op.domain_text()}.\n\n"
            f"Generated from the op table (autograd/engine/ops.py); for example ``{example(op)}``.")


for _op in TABLE:
    if _op.forward:
        _install(_op)


def _binary_function(op: Op) -> Callable[[Operand, Operand], Value]:
    method, reflected = op.method, _reflected(op.method)

    def function(a: Operand, b: Operand) -> Value:
        if isinstance(a, Value):
            return getattr(a, method)(b)
        if isinstance(b, Value):
            return getattr(b, reflected)(a)
        return getattr(Value(as_float(a, f"{op}")), method)(b)  # two numbers: a node over a constant leaf

    function.__name__ = function.__qualname__ = op.name
    return function


# Every function a learner may call by name (the CLI's whitelist): the table's call ops.
CALLABLE: dict[str, Callable[..., Value]] = {
    op.name: getattr(Value, op.method) if len(op.operands) == 1 else _binary_function(op)
    for op in TABLE if op.symbol_kind == "call"
}

maximum = CALLABLE["maximum"]
maximum.__doc__ = """The larger of a and b (Values or numbers); a tie sends half the gradient to each, as torch.maximum.

>>> a, b = Value(2.0), Value(2.0)
>>> m = maximum(a, b); m.backward(); a.grad, b.grad
(0.5, 0.5)
"""
minimum = CALLABLE["minimum"]
minimum.__doc__ = """The smaller of a and b (Values or numbers); a tie sends half the gradient to each, as torch.minimum.

>>> minimum(Value(2.0), 3).data
2.0
"""


# ---- reading a node back: each op kind reads its own (ops.Op and its subclasses) ----

def operands(node: Value) -> tuple[list[Value | float], tuple]:
    """The node's operands in the op's order (parent Values and recorded constants), and its parameters.

    A constant is given back exactly as it was written; ``sum`` and ``dot`` list their
    parents, then the constant part of the sum if it has one.

    >>> x = Value(2.0, "x")
    >>> operands(3 - x)[0][0], operands(x.leaky_relu(0.2))[1]
    (3, (0.2,))
    """
    return node.op.arguments(node)


def edge_rule(node: Value, k: int, names: dict[Value, str] | None = None, notation: str = "plain",
              whole: bool = True) -> str:
    """The rule behind the local derivative on the node's ``k``-th edge, read from its op's table entry.

    Operands are called by ``names`` (teach's node names), else by their labels, else by the
    table's own operand names; constants are written exactly as recorded.

    ``whole=False`` gives only its right-hand side (``1 - tanh(n)^2``).

    >>> from autograd import Value
    >>> n = Value(0.5, "n"); o = n.tanh(); o.label = "o"
    >>> edge_rule(o, 0), edge_rule(o, 0, whole=False)
    ('∂tanh(n)/∂n = 1 - tanh(n)^2', '1 - tanh(n)^2')
    >>> x = Value(2.0, "x"); edge_rule(3 * x, 0)
    '∂(3 * x)/∂x = 3'
    """
    return node.op.edge_rule(node, k, names or {}, notation, whole)


def value_local_grads(node: Value) -> tuple[Value | float, ...]:
    """The node's local derivatives, one per parent, built from Values (numbers where they are constant).

    They equal ``node.local_grads`` and, being graph nodes, can be differentiated again.

    >>> x = Value(0.5); y = x.tanh()
    >>> d = value_local_grads(y)[0]; d.op, d.data == y.local_grads[0]
    ('-', True)
    """
    return node.op.value_local_grads(node) if node.op else ()
