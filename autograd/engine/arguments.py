"""Checks of a public function's arguments: one place that says what was wrong and what is accepted.

Every public function of ``autograd`` and ``nn`` checks a count, a size or a rate here, so
that a learner's ``epochs=-1`` or ``eps=nan`` is a ``ValueError`` (a wrong type a ``TypeError``)
naming the argument, never an empty result, a silent no-op or an error from deep inside.
"""

from __future__ import annotations

import math
import numbers


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int in ``low..high`` (either end open when None); else an error naming ``name``.

    >>> check_int(3, "epochs", 0)
    3
    >>> check_int(-1, "epochs", 0)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be an int >= 0, got -1
    >>> check_int(2.5, "digits", 1, 17)
    Traceback (most recent call last):
    ...
    TypeError: digits must be an int from 1 to 17, got float: 2.5
    """
    wanted = _range_text("an int", low, high)
    if not _is_int(value):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__}: {value!r:.40}")
    number = int(value)  # type: ignore[call-overload]
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{name} must be {wanted}, got {number}")
    return number


def check_real(value: object, name: str, low: float | None = None, high: float | None = None,
               *, above: float | None = None, below: float | None = None) -> float:
    """``value`` as a finite float with ``low <= value <= high`` and ``above < value < below``
    (each bound optional); else an error naming ``name`` and what is accepted.

    >>> check_real(0.5, "lr", 0)
    0.5
    >>> check_real(float("nan"), "eps", above=0)
    Traceback (most recent call last):
    ...
    ValueError: eps must be a finite number > 0, got nan
    >>> check_real("1", "lr", 0)
    Traceback (most recent call last):
    ...
    TypeError: lr must be a finite number >= 0, got str: '1'
    """
    wanted = _range_text("a finite number", low, high, above, below)
    if isinstance(value, bool) or not (isinstance(value, numbers.Real) or is_numpy_real(value)):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__}: {value!r:.40}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        number = math.inf
    if not (math.isfinite(number) and (low is None or number >= low) and (high is None or number <= high)
            and (above is None or number > above) and (below is None or number < below)):
        raise ValueError(f"{name} must be {wanted}, got {number!r}")
    return number


def is_numpy_real(x: object) -> bool:
    """A numpy scalar of a real kind (bool, int, float), known without importing numpy.

    >>> is_numpy_real(1.0)
    False
    """
    dtype = getattr(x, "dtype", None)
    return getattr(dtype, "kind", "") in ("b", "i", "u", "f") and getattr(x, "shape", None) == ()


def _range_text(what: str, low: float | None, high: float | None,
                above: float | None = None, below: float | None = None) -> str:
    if low is not None and high is not None:
        return f"{what} from {low:g} to {high:g}" if isinstance(low, float) or isinstance(high, float) \
            else f"{what} from {low} to {high}"
    parts = [f">= {low:g}" if low is not None else "", f"> {above:g}" if above is not None else "",
             f"<= {high:g}" if high is not None else "", f"< {below:g}" if below is not None else ""]
    bounds = " and ".join(part for part in parts if part)
    return f"{what} {bounds}".rstrip()


def check_sequence(value: object, name: str, of: str = "numbers or Values") -> None:
    """``value`` must be a list, tuple or array (anything with a length and items), else TypeError naming ``name``.

    >>> check_sequence([1, 2], "X")
    >>> check_sequence(5, "X", "rows")
    Traceback (most recent call last):
    ...
    TypeError: X must be a list of rows, got int: 5
    """
    if isinstance(value, (str, bytes, dict)) or not (hasattr(value, "__len__") and hasattr(value, "__getitem__")):
        raise TypeError(f"{name} must be a list of {of}, got {type(value).__name__}: {value!r:.40}")
