"""``chainrule export``: one exercise, a variant per student, written for a course's system.

The text of each format is the teaching layer's (``autograd.teach.lms``, ``.gradescope``);
this module adds what only the drawing layer has, each variant's graph as SVG (Moodle XML
and QTI carry it), and writes the file atomically.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..engine.files import write_atomically
from ..teach.gradescope import autograder_zip
from ..teach.lms import gift, moodle_xml, qti_zip
from ..teach.variants import Variant, variants
from .drawing import svg_text

FORMATS: dict[str, str] = {"moodle": ".xml", "gift": ".txt", "qti": ".zip", "gradescope": ".zip"}


def variant_svg(variant: Variant) -> str:
    """A variant's graph as a student sees it in a question: local rules on the edges, grads left blank."""
    return svg_text(variant.graph()[0], edge_labels="rule", hide_grads=True)


def exported(found: Sequence[Variant], fmt: str, pictures: bool | None = None) -> bytes:
    """The variants in format ``fmt`` (moodle, gift, qti or gradescope) as the bytes of one file.

    ``pictures`` embeds each variant's graph where the format carries one (Moodle XML, QTI);
    by default when Graphviz's ``dot`` is installed.

    >>> from autograd.teach.variants import variants
    >>> exported(variants("x*w", {"x": (1, 2), "w": (3, 4)}, 2), "gift").startswith(b"// chainrule")
    True
    """
    if fmt not in FORMATS:
        raise ValueError(f"the format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    if pictures is None:
        pictures = shutil.which("dot") is not None
    picture: Callable[[Variant], str] | None = variant_svg if pictures else None
    if fmt == "gift":
        return gift(found).encode()
    if fmt == "moodle":
        return moodle_xml(found, picture)
    if fmt == "qti":
        return qti_zip(found, picture)
    return autograder_zip(found)


def export(expression: str, ranges: Mapping[str, tuple[float, float]], students: int, seed: int, fmt: str,
           out: str | os.PathLike, pictures: bool | None = None) -> Path:
    """Write ``students`` variants of ``expression`` to ``out`` in format ``fmt``; return the path.

    Every check runs before anything is written, and the file appears whole or not at all.

    >>> import tempfile, os
    >>> path = export("x*w", {"x": (1, 2), "w": (3, 4)}, 3, 1, "gift", os.path.join(tempfile.mkdtemp(), "q.txt"))
    >>> path.read_text().count("::df/dx, variant")
    3
    """
    data = exported(variants(expression, ranges, students, seed), fmt, pictures)
    write_atomically(out, data)
    return Path(out)
