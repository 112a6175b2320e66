"""The front end's files: the player's and the worksheet's HTML, CSS and JavaScript (package data).

``read("player.js")`` gives a file's text (``importlib.resources``, so it works from a wheel or a
zip); ``fill(template, title=...)`` puts values into a template's ``{{name}}`` slots in one pass,
so a value that itself contains ``{{...}}`` is left as it is. Every slot must be given.

>>> fill("<h1>{{title}}</h1>", title="x {{data}}")
'<h1>x {{data}}</h1>'
>>> "function mountPlayer" in read("player.js")
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

SLOT = re.compile(r"\{\{(\w+)\}\}")


@cache
def read(name: str) -> str:
    """The text of the asset ``name`` (e.g. ``"player.css"``)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """``data`` as JSON to embed in a ``<script type="application/json">`` block of an HTML page.

    Every ``<``, ``>`` and ``&`` (and U+2028, U+2029) is written as a ``\\u`` escape, so no text
    in the data (a learner's label ``<!--<script>`` or ``</script>``) can end the block, open a
    comment or a script in it, or be read as markup; ``JSON.parse`` gives the same data back.
    No NaN or infinity (JSON has none).

    >>> script_json({"label": "<!--<script>&"})
    '{"label": "\\\\u003c!--\\\\u003cscript\\\\u003e\\\\u0026"}'
    """
    return json.dumps(data, allow_nan=False).translate(JSON_IN_HTML)


JSON_IN_HTML = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def fill(template: str, **values: str) -> str:
    """``template`` with each ``{{name}}`` replaced by ``values[name]``, in one pass."""
    missing = set(SLOT.findall(template)) - set(values)
    if missing:
        raise KeyError(f"no value for the template's slots {sorted(missing)}")
    return SLOT.sub(lambda m: values[m.group(1)], template)
