"""Ops a learner defines (``custom_op``) and the checker for any op's derivative (``check_op``).

A custom op is a table entry made at run time: its node is drawn, explained, stepped and
quizzed like a built-in one. Each ``custom_op`` call makes a new, independent entry, so
names may repeat and a built-in op is never replaced.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from .arguments import check_int, check_real
from .gradient_check import GradcheckError, GradcheckReport, gradcheck
from .ops import CustomOp, Op
from .value import Value, _data_of, _nary, as_float

DEFAULT_DOMAIN = (-3.0, 3.0)


def custom_op(name: str, forward: Callable[..., float], derivative: Callable[..., Sequence[float] | float],
              value_derivative: Callable[..., Sequence[Value | float]] | None = None, *,
              arity: int | None = None) -> Callable[..., Value]:
    """A new op: a function of Values and numbers that makes one node whose ``.op`` is ``name``.

    ``forward(*xs)`` computes the result from floats; ``derivative(*xs, out=out)`` gives
    d out/d x for each input (a tuple, or one float for one input). ``value_derivative``,
    the same rule written with Value ops, lets ``grad(..., create_graph=True)`` differentiate
    the op again. Check your rule with ``check_op``.

    The inputs are counted (and named) from ``forward``'s signature; where a builtin has none
    to read (``math.hypot``), from ``derivative``'s (all but ``out``), or from ``arity=``.

    >>> import math
    >>> hypot = custom_op("hypot", math.hypot, lambda x, y, out: (x / out, y / out))
    >>> hypot(Value(3.0), Value(4.0)).data, hypot.op.operands
    (5.0, ('x', 'y'))

    >>> cube = custom_op("cube", lambda x: x ** 3, lambda x, out: 3 * x * x)
    >>> x = Value(2.0, "x"); y = cube(x); y.backward()
    >>> y.op, y.data, x.grad
    ('cube', 8.0, 12.0)
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"custom_op needs a name (a non-empty str), got {name!r:.40}")
    for what, function in (("forward", forward), ("derivative", derivative)):
        if not callable(function):
            raise TypeError(f"custom_op {name!r}: {what} must be a function, got {type(function).__name__}")
    if value_derivative is not None and not callable(value_derivative):
        raise TypeError(f"custom_op {name!r}: value_derivative must be a function or None")
    inputs = _input_names(name, forward, derivative, arity)
    op = CustomOp(name, operands=inputs, params=(), forward="", derivatives=(), value_derivatives=(),
            rules=tuple(f"(the derivative given to custom_op {name!r})" for _ in inputs),
            latex_rules=tuple(r"\text{(custom)}" for _ in inputs), domain=(), overflow=None,
            symbol_kind="call", method=name, latex_name=None, points=DEFAULT_DOMAIN, activation=False,
            constant_first=False, float_function=forward, float_derivative=derivative,
            value_derivative=value_derivative)

    def apply(*args: Value | float) -> Value:
        if len(args) != len(inputs):
            raise TypeError(f"custom op {name!r} takes {len(inputs)} input(s) ({', '.join(inputs)}), got {len(args)}")
        xs = [_data_of(arg, name) for arg in args]
        out = as_float(_named_errors(name, "forward", forward, xs), f"custom op {name!r}: forward's result")
        local = _named_errors(name, "derivative", derivative, xs, out)
        local = list(local) if isinstance(local, (tuple, list)) else [local]
        if len(local) != len(args):
            raise ValueError(f"custom op {name!r}: derivative must give {len(args)} number(s), "
                             f"one per input ({', '.join(inputs)}), got {len(local)}")
        local = [as_float(d, f"custom op {name!r}: the derivative by {n}") for d, n in zip(local, inputs)]
        parents = [arg for arg in args if isinstance(arg, Value)]
        grads = [d for arg, d in zip(args, local) if isinstance(arg, Value)]
        return _nary(out, op, parents, grads, tuple(args))

    apply.__name__ = apply.__qualname__ = name if name.isidentifier() else "custom_op"
    apply.__doc__ = f"The custom op {name!r} of {', '.join(inputs)}."
    apply.op = op  # type: ignore[attr-defined]
    return apply


def _named_errors(name: str, what: str, function: Callable[..., object], xs: list[float],
                  out: float | None = None) -> object:
    """``function(*xs)`` (with ``out=`` for a derivative); an arithmetic error names the op and the point."""
    try:
        return function(*xs) if out is None else function(*xs, out=out)
    except ZeroDivisionError as error:
        raise ZeroDivisionError(f"custom op {name!r}: its {what} divides by zero at {_point(xs)}") from error
    except (ArithmeticError, ValueError) as error:
        raise ValueError(f"custom op {name!r}: its {what} fails at {_point(xs)}: {error}") from error


def _point(xs: list[float]) -> str:
    return ", ".join(repr(x) for x in xs)


def _input_names(name: str, forward: Callable[..., float], derivative: Callable[..., object],
                 arity: int | None) -> tuple[str, ...]:
    """The op's input names: read from ``forward``, else from ``derivative`` (without ``out``), else ``arity``'s x1..xn."""
    if arity is not None and (not isinstance(arity, int) or isinstance(arity, bool) or arity < 1):
        raise ValueError(f"custom_op {name!r}: arity must be a positive int, got {arity!r}")
    for function, drop in ((forward, ()), (derivative, ("out",))):
        names = _positional_names(function, drop)
        if names is None:  # nothing to read: try the next source
            continue
        if arity is not None and len(names) != arity:
            raise ValueError(f"custom_op {name!r}: arity={arity} but the "
                             f"{'forward' if function is forward else 'derivative'} takes {len(names)} "
                             f"input(s) ({', '.join(names)})")
        return names
    if arity is not None:
        return ("x",) if arity == 1 else tuple(f"x{k}" for k in range(1, arity + 1))
    raise TypeError(f"custom_op {name!r}: cannot tell how many inputs the op takes (forward and derivative "
                    "take a fixed number of inputs, like lambda x: ... or lambda a, b: ..., or pass arity=N)")


def _positional_names(function: Callable[..., object], drop: tuple[str, ...]) -> tuple[str, ...] | None:
    """The required positional parameters' names, or None when the signature cannot be read or takes ``*args``."""
    try:
        import inspect  # only here: it costs the engine's import 4 ms

        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):  # a builtin like math.hypot has no signature to read
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return None
    names = tuple(p.name for p in parameters if p.name not in drop
                  and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)
    return names or None


def check_op(fn: Callable[..., Value], arity: int | None = None, domain: tuple[float, float] | None = None,
             samples: int = 20, seed: int | None = 0, upstream: float = 0.37, eps: float = 1e-6,
             atol: float = 1e-6, rtol: float = 1e-5) -> list[GradcheckReport]:
    """Check an op's derivative (built-in or custom) against central differences at random points.

    At each of ``samples`` points drawn from ``domain`` (the op's own range for a table op,
    else (-3, 3); points where the op is undefined are skipped) it checks ``fn`` with the
    upstream gradient ``upstream`` (not 1, so a rule that ignores it shows), and with one
    Value used twice (``fn(x, x)``, or ``fn(x) * x`` for one input). For a custom op given
    ``value_derivative``, that rule must agree with ``derivative`` too. The first mismatch
    raises ``GradcheckError`` naming the input, the point and both numbers.

    >>> len(check_op(Value.tanh))
    20
    >>> import math
    >>> bad = custom_op("bad_sin", lambda x: math.sin(x), lambda x, out: -math.cos(x))
    >>> check_op(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autograd.engine.gradient_check.GradcheckError: check_op('bad_sin'), upstream gradient 0.37, at x=...
    ...
    """
    if not callable(fn):
        raise TypeError(f"check_op needs an op: a function of Values such as Value.tanh, got {type(fn).__name__}")
    op = getattr(fn, "op", None)
    arity = arity if arity is not None else len(op.operands) if isinstance(op, Op) else 1
    if not isinstance(arity, int) or arity < 1:
        raise ValueError(f"check_op: arity must be a positive int, got {arity!r}")
    check_int(samples, "samples", 1)
    upstream = check_real(upstream, "upstream")
    if domain is not None:
        if not (isinstance(domain, (tuple, list)) and len(domain) == 2):
            raise TypeError(f"domain must be a pair (lo, hi) of numbers, got {domain!r:.40}")
        lo_hi = [check_real(bound, f"domain[{k}]") for k, bound in enumerate(domain)]
        if not lo_hi[0] < lo_hi[1]:
            raise ValueError(f"domain must be (lo, hi) with lo < hi, got {domain!r}")
    name = str(op) if isinstance(op, Op) else getattr(fn, "__name__", "op")
    lo, hi = domain if domain is not None else _points_of(fn, arity)
    rng = random.Random(seed)
    twice = (lambda x: fn(*[x] * arity)) if arity > 1 else (lambda x: fn(x) * x)
    reports: list[GradcheckReport] = []
    for _ in range(50 * samples):
        point = [rng.uniform(lo, hi) for _ in range(arity)]
        try:
            fn(*map(Value, point))
        except (ArithmeticError, ValueError):
            continue  # outside the op's domain: draw again
        inputs = [Value(x, n) for x, n in zip(point, _names(op, arity))]
        for what, f, at in ((f"upstream gradient {upstream:g}", fn, inputs),
                            ("one Value used twice", twice, inputs[:1])):
            report = gradcheck(f, at, eps=eps, atol=atol, rtol=rtol, upstream=upstream, raise_on_mismatch=False)
            if not report.ok:
                where = ", ".join(f"{x.label}={x.data!r}" for x in at)
                raise GradcheckError(report, f"check_op({name!r}), {what}, at {where}")
            if f is fn:
                reports.append(report)
        if isinstance(op, CustomOp) and op.value_derivative is not None:
            _check_value_derivative(fn, op, point)
        if len(reports) == samples:
            return reports
    if not reports:
        raise ValueError(f"check_op({name!r}): the op is undefined at every point tried in {lo}..{hi}; "
                         f"pass domain=(lo, hi) where it is defined")
    return reports


def _names(op: object, arity: int) -> tuple[str, ...]:
    return op.operands if isinstance(op, Op) else tuple(f"x{i}" for i in range(arity))


def _points_of(fn: Callable[..., Value], arity: int) -> tuple[float, float]:
    """Where a table op is sampled (its ``points``); (-3, 3) for anything else."""
    try:
        op = fn(*[Value(0.5) for _ in range(arity)]).op
    except (ArithmeticError, ValueError, TypeError, AttributeError):
        return DEFAULT_DOMAIN
    return op.points if isinstance(op, Op) and not isinstance(op, CustomOp) else DEFAULT_DOMAIN


def _check_value_derivative(fn: Callable[..., Value], op: CustomOp, point: list[float]) -> None:
    from .value import value_local_grads

    out = fn(*map(Value, point))
    for name, x, by_float, by_value in zip(op.operands, point, out.local_grads, value_local_grads(out)):
        number = by_value.data if isinstance(by_value, Value) else as_float(by_value, "value_derivative")
        if abs(number - by_float) > 1e-9 * max(1.0, abs(by_float)):
            raise GradcheckError(None, f"check_op({str(op)!r}): value_derivative gives {number!r} but derivative "
                                       f"gives {by_float!r} for d/d{name} at {name}={x!r}")
