"""Number formatting shared by repr, explanations and pictures."""

from __future__ import annotations


def format_number(x: float, digits: int = 4) -> str:
    """``x`` to ``digits`` significant digits, always recognisable as a float.

    >>> format_number(0.70710678), format_number(2.0), format_number(1e-9)
    ('0.7071', '2.0', '1e-09')
    """
    text = f"{x:.{digits}g}"
    return text if any(c in text for c in ".en") else text + ".0"
