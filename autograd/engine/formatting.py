"""Number formatting shared by repr, explanations and pictures."""

from __future__ import annotations

import re

from .arguments import check_int


def format_number(x: float, digits: int = 4) -> str:
    """``x`` to ``digits`` significant digits, always recognisable as a float.

    >>> format_number(0.70710678), format_number(2.0), format_number(1e-9)
    ('0.7071', '2.0', '1e-09')
    """
    if type(digits) is not int or not 1 <= digits <= 17:  # every picture, page and explanation passes here
        check_int(digits, "digits (significant digits shown)", 1, 17)
    text = f"{x:.{digits}g}"
    return text if any(c in text for c in ".en") else text + ".0"


def format_constant(x: float, digits: int = 4) -> str:
    """A number operand as it reads in a formula: ``3`` rather than ``3.0``.

    >>> format_constant(3.0), format_constant(0.30000000000000004), format_constant(-1e-12)
    ('3', '0.3', '-1e-12')
    """
    return f"{x:.{digits}g}"


def bracketed(name: str) -> str:
    """A name as it reads after ``d`` in ``dy/dx``: in brackets when it is a formula, ``d(x*w)``.

    >>> bracketed("w1"), bracketed("x*w"), bracketed("L1.n3.b")
    ('w1', '(x*w)', 'L1.n3.b')
    """
    return name if is_plain_name(name) else f"({name})"


def is_plain_name(name: str) -> bool:
    """A name made of letters, digits, ``_ . # '`` only, maybe with an index (``W[1,2]``): no formula, no space.

    >>> is_plain_name("W[1,2]"), is_plain_name("(X @ W)[1,2]"), is_plain_name("x*w")
    (True, False, False)
    """
    return re.fullmatch(r"[\w.#']+(?:\[\d+(?:,\d+)?\])?", name) is not None
