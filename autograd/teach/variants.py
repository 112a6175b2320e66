"""One exercise, a variant per student: the same expression, each student's own numbers.

``variants("tanh(x*w + b)", {"x": (1, 3), "w": (-3, -1), "b": (6, 7)}, students=30, seed=1)``
draws every input of every variant from its range, rounded to 2 decimals, and keeps a draw only
when the whole exercise is well posed there: every op inside its domain, every gradient finite,
and no two gradients equal to 4 significant digits (a variant must not give one answer away
through another). Each variant carries its key: the gradient of the expression by each input.
The same seed gives the same variants.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..engine.formatting import format_number
from ..engine.value import Value
from .expr import ExpressionError, build, check_names, names_in, parse_expression
from .quiz import Quiz, quiz

MAX_STUDENTS = 1000
DRAWS_PER_VARIANT = 200  # how hard to look before saying the ranges cannot give a well-posed exercise


class VariantError(ValueError):
    """The ranges or the count cannot give the variants asked for; the message says why."""


@dataclass(frozen=True)
class Variant:
    """One student's exercise: ``number`` (from 1), the input ``values`` as stated, the ``answers`` key."""

    number: int
    expression: str
    values: tuple[tuple[str, float], ...]
    answers: tuple[tuple[str, float], ...]  # d f / d input, in the order of the inputs

    def given(self) -> str:
        """The values as the question states them: ``x = 2.0, w = -3.0``.

        >>> Variant(1, "x*w", (("x", 2.0), ("w", -3.0)), ()).given()
        'x = 2.0, w = -3.0'
        """
        return ", ".join(f"{name} = {value!r}" for name, value in self.values)

    def graph(self) -> tuple[Value, dict[str, Value]]:
        """The variant's graph (its output called f, backward done) and its inputs by name.

        >>> out, inputs = Variant(1, "x*w", (("x", 2.0), ("w", -3.0)), ()).graph()
        >>> out.data, inputs["x"].grad
        (-6.0, -3.0)
        """
        out, inputs = build(self.expression, [f"{name}={value!r}" for name, value in self.values])
        out.backward()
        return out, inputs

    def quiz(self) -> Quiz:
        """The variant's questions as a ``Quiz`` (one per input, judged and diagnosed as ``quiz()`` does).

        >>> q = Variant(1, "x*w", (("x", 2.0), ("w", -3.0)), ()).quiz()
        >>> [question.name for question in q.questions], q.answer("x", -3.0).correct
        (['w', 'x'], True)
        """
        out, inputs = build(self.expression, [f"{name}={value!r}" for name, value in self.values])
        return quiz(out, hide=list(inputs))


def parse_range(pair: str) -> tuple[str, tuple[float, float]]:
    """A ``NAME=LO:HI`` range from the command line.

    >>> parse_range("x=-1.5:2")
    ('x', (-1.5, 2.0))
    """
    name, sep, text = pair.partition("=")
    lo_text, colon, hi_text = text.partition(":")
    if not sep or not colon or not name.strip().isidentifier():
        raise VariantError(f"{pair!r} is not NAME=LO:HI (like x=-2:3, the range of x's values)")
    try:
        lo, hi = float(lo_text), float(hi_text)
    except ValueError:
        raise VariantError(f"{pair!r}: LO and HI must be numbers, as in NAME=LO:HI (like x=-2:3)") from None
    return name.strip(), (lo, hi)


def variants(expression: str, ranges: Mapping[str, tuple[float, float]], students: int,
             seed: int = 0) -> list[Variant]:
    """``students`` variants of one exercise, each input drawn from its range (2 decimals).

    Draws that leave an op's domain, give a gradient that is not finite, or make two gradients
    equal to 4 significant digits are skipped. ``VariantError`` when no such draw turns up.

    >>> [v.given() for v in variants("x*w", {"x": (1, 2), "w": (3, 4)}, students=2, seed=1)]
    ['x = 1.13, w = 3.85', 'x = 1.76, w = 3.26']
    """
    if not isinstance(students, int) or isinstance(students, bool) or not 1 <= students <= MAX_STUDENTS:
        raise VariantError(f"the number of students must be a whole number from 1 to {MAX_STUDENTS}, got {students!r}")
    names = names_in(parse_expression(expression))
    _check_ranges(names, ranges)
    grids = {name: _grid(*ranges[name]) for name in names}
    rng = random.Random(seed)
    found: list[Variant] = []
    why = ""
    for _ in range(DRAWS_PER_VARIANT * students):
        # rounding may step just outside a range whose ends have more decimals: keep it inside
        values = tuple((name, min(max(round(rng.uniform(*ranges[name]), 2), grids[name][0]), grids[name][1]))
                       for name in names)
        answers, why = _key(expression, values)
        if answers is not None:
            found.append(Variant(len(found) + 1, expression, values, answers))
            if len(found) == students:
                return found
    raise VariantError(f"only {len(found)} of {students} draws from the ranges give a well-posed exercise: {why}")


def _check_ranges(names: Sequence[str], ranges: Mapping[str, tuple[float, float]]) -> None:
    check_names(names, ranges, what="range", form="LO:HI", error=VariantError)
    for name, (lo, hi) in ranges.items():
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi or _grid(lo, hi)[0] > _grid(lo, hi)[1]:
            raise VariantError(f"the range of {name} is empty or not finite: {lo:g}:{hi:g} (write LO:HI with LO <= HI, "
                               "holding a number of 2 decimals: the values are rounded to 2 decimals)")


def _grid(lo: float, hi: float) -> tuple[float, float]:
    """The smallest and the largest number of 2 decimals from ``lo`` to ``hi``.

    >>> _grid(0.004, 1.1), _grid(1.001, 1.004)[0] > _grid(1.001, 1.004)[1]
    ((0.01, 1.1), True)
    """
    return math.ceil(round(lo * 100, 6)) / 100, math.floor(round(hi * 100, 6)) / 100


def _key(expression: str, values: tuple[tuple[str, float], ...]) -> tuple[tuple[tuple[str, float], ...] | None, str]:
    """The gradients at ``values``, or None and why the draw does not make a good exercise."""
    try:
        out, inputs = build(expression, [f"{name}={value!r}" for name, value in values])
        out.backward()
    except (ExpressionError, ValueError, ZeroDivisionError, OverflowError) as error:
        return None, str(error)
    answers = tuple((name, leaf.grad) for name, leaf in inputs.items())
    if not all(math.isfinite(g) for _, g in answers) or not math.isfinite(out.data):
        return None, "a gradient or the output is not finite there"
    shown = [format_number(g, 4) for _, g in answers]
    if len(set(shown)) < len(shown):
        return None, "two gradients are equal to 4 significant digits for every draw tried"
    return answers, ""
