"""Gradient checking: ``backward()`` against central differences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .arguments import check_real
from .formatting import format_number
from .modes import no_grad
from .value import Operand, Value, as_float


class GradcheckError(AssertionError):
    """``backward()`` and central differences disagree; the message names the input.

    ``context`` (first line) says which check failed, when there is more than one.
    """

    def __init__(self, report: GradcheckReport | None, context: str = "") -> None:
        super().__init__("\n".join(part for part in (context, str(report or "")) if part))
        self.report = report


@dataclass(frozen=True)
class InputCheck:
    """One input's analytic gradient next to its numerical estimate."""

    name: str
    value: float
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    ok: bool


@dataclass(frozen=True)
class GradcheckReport:
    """The outcome of ``gradcheck``: one ``InputCheck`` per input."""

    output: float
    inputs: tuple[InputCheck, ...]
    eps: float
    atol: float
    rtol: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.inputs)

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "MISMATCH"
        lines = [
            f"gradcheck {verdict}: output {format_number(self.output, 6)}, "
            f"eps={self.eps:g}, tolerance |a-n| <= {self.atol:g} + {self.rtol:g}*|n|"
        ]
        for c in self.inputs:
            mark = "ok" if c.ok else "MISMATCH"
            lines.append(
                f"  {mark:8} d/d{c.name} at {format_number(c.value, 6)}: backward {c.analytic!r}, "
                f"central difference {c.numeric!r}, relative error {c.rel_error:.3g}"
            )
        return "\n".join(lines)


def gradcheck(
    f: Callable[..., Operand],
    inputs: Sequence[Operand],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_on_mismatch: bool = True,
    upstream: float = 1.0,
) -> GradcheckReport:
    """Compare ``backward()`` through ``f(*inputs)`` with central differences.

    Each input x is nudged by h = eps * max(1, |x|); the estimate is
    upstream * (f(x + h) - f(x - h)) / 2h, where ``upstream`` is the gradient passed to
    ``backward()`` (1 by default). An input passes when
    |analytic - numeric| <= atol + rtol * |numeric|. On a mismatch this raises
    ``GradcheckError`` naming the input, both numbers and the relative error, unless
    ``raise_on_mismatch`` is False; either way it returns the full report.

    >>> gradcheck(lambda x, y: x * y.sin(), [2.0, 0.5]).ok
    True
    """
    if not callable(f):
        raise TypeError(f"gradcheck needs a function of the inputs, got {type(f).__name__}")
    if isinstance(inputs, Value) or isinstance(inputs, (int, float)):
        inputs = [inputs]  # one input given bare
    if not isinstance(inputs, Sequence) or isinstance(inputs, str):
        raise TypeError(f"gradcheck: inputs must be a list of Values or numbers, got {type(inputs).__name__}")
    if len(inputs) == 0:
        raise ValueError("gradcheck needs at least one input")
    eps = check_real(eps, "eps", above=0, below=1)
    atol, rtol = check_real(atol, "atol", 0), check_real(rtol, "rtol", 0)
    upstream = check_real(upstream, "upstream")
    points = [x.data if isinstance(x, Value) else as_float(x, "gradcheck input") for x in inputs]
    names = [x.label if isinstance(x, Value) and x.label else f"x{i}" for i, x in enumerate(inputs)]

    leaves = [Value(x, name) for x, name in zip(points, names)]
    out = _evaluate(f, leaves)
    out.backward(upstream)

    checks = []
    for i, (name, x) in enumerate(zip(names, points)):
        h, up, down = _nudged(f, points, i, eps * max(1.0, abs(x)), name)
        numeric = upstream * (up - down) / (2 * h)
        analytic = leaves[i].grad
        abs_error = abs(analytic - numeric)
        rel_error = abs_error / max(abs(numeric), abs(analytic), 1e-300) if abs_error else 0.0
        ok = math.isfinite(numeric) and abs_error <= atol + rtol * abs(numeric)
        checks.append(InputCheck(name, x, analytic, numeric, abs_error, rel_error, ok))

    report = GradcheckReport(out.data, tuple(checks), eps, atol, rtol)
    if raise_on_mismatch and not report.ok:
        raise GradcheckError(report)
    return report


def _nudged(f: Callable[..., Operand], points: list[float], i: int, h: float, name: str) -> tuple[float, float, float]:
    """(h, f at x + h, f at x - h) for input ``i``; a step that leaves f's domain is shrunk
    (to a thousandth of |x|, then by 10, up to 6 times)."""
    for _ in range(7):
        try:
            with no_grad():
                up = _evaluate(f, [Value(p + h if j == i else p) for j, p in enumerate(points)]).data
                down = _evaluate(f, [Value(p - h if j == i else p) for j, p in enumerate(points)]).data
            return h, up, down
        except (ValueError, ZeroDivisionError) as error:  # the step crossed the domain's edge
            problem = error
            h = min(h / 10, abs(points[i]) * 1e-3) or h / 10  # near an edge at x the step is a fraction of x
    raise ValueError(f"gradcheck: the central-difference step for {name} at {points[i]!r} leaves the function's "
                     f"domain even at h={h * 10:.3g} ({problem}); check a point farther from the edge, or a smaller eps")


def _evaluate(f: Callable[..., Operand], args: list[Value]) -> Value:
    out = f(*args)
    if isinstance(out, Value):
        return out
    return Value(as_float(out, "gradcheck: the function's result"))
