"""chainrule in the browser: a static site that runs the engine itself (Pyodide), nothing installed.

``write_site(folder)`` (the CLI's ``chainrule web DIR``) writes ``index.html`` with its own
``web.js``, ``web.css`` and ``worker.js`` (the files beside this module), the player's front end
(``autograd/show/assets``), and what the page loads: Pyodide, Graphviz compiled to WebAssembly
and the graphviz Python package (``autograd/show/vendor``, unpacked by ``make vendor``), and
chainrule's own sources as a zip. The page asks for nothing outside its folder.

In the page a Web Worker loads Pyodide and chainrule, then for each expression calls
``autograd.cli.explain_json`` (what ``chainrule explain ... --json`` prints: ``window.chainrule.run``
returns it) and ``page_view`` below (what the page shows: the player's data with the graph as
DOT, the quiz, the explanation as MathML, the generated Python); the worker lays the DOT out
with Graphviz-WASM. A pathological expression is refused by the CLI's own limits, and if
anything still runs too long the page stops the worker and starts a fresh one.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...engine.files import package_files, write_atomically, zip_bytes

HERE = Path(__file__).resolve().parent
VENDOR = HERE.parent / "vendor"
PAGE_FILES = ("index.html", "web.css", "web.js", "worker.js")  # beside this module
PLAYER_FILES = ("player.css", "player.js")  # the player's front end, shared with write_player
# what the worker loads, by the path the page asks for (also what "about N MB, once" counts)
VENDOR_FILES = ("viz/viz-global.js", "pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm",
                "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json", "graphviz-py/graphviz-0.21-py3-none-any.whl")
SOURCES = "chainrule.zip"


@dataclass(frozen=True)
class Site:
    """A written site: its ``index`` page and its total size."""

    index: Path
    megabytes: float


def missing_vendor() -> list[str]:
    """The vendor files (Pyodide, Graphviz-WASM) that ``make vendor`` has not put in place."""
    return [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]


def write_site(folder: str | os.PathLike) -> Site:
    """Write the static site into ``folder`` (created if missing; other files in it are left alone).

    >>> import tempfile
    >>> site = write_site(tempfile.mkdtemp()) if not missing_vendor() else None  # (make vendor first)
    >>> site is None or {"index.html", "chainrule.zip", "vendor"} <= {p.name for p in site.index.parent.iterdir()}
    True
    """
    missing = missing_vendor()
    if missing:
        raise RuntimeError(f"the browser files are not installed ({', '.join(missing)}): run 'make vendor' "
                           "(python3 tools/fetch-vendor) in a chainrule checkout, or install a wheel built after it")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file: chainrule web writes a folder of files")
    loaded = sum((VENDOR / name).stat().st_size for name in VENDOR_FILES)
    sources = _sources_zip()
    megabytes = (loaded + len(sources)) / 1e6
    from ..assets import fill, read

    page = fill((HERE / "index.html").read_text(encoding="utf-8"), megabytes=f"{megabytes:.0f}",
                player=fill(read("player-markup.html"), title=""))
    outputs: dict[str, bytes] = {"index.html": page.encode(), SOURCES: sources}
    outputs |= {name: (HERE / name).read_bytes() for name in PAGE_FILES if name != "index.html"}
    outputs |= {name: read(name).encode() for name in PLAYER_FILES}
    for name, data in outputs.items():
        write_atomically(folder / name, data)
    for name in VENDOR_FILES + tuple(f"{p}/LICENSE.txt" for p in ("viz", "pyodide", "graphviz-py")):
        target = folder / "vendor" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VENDOR / name, target)
    return Site(folder / "index.html", sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6)


def _sources_zip() -> bytes:
    """chainrule's ``autograd`` package as a zip for Pyodide's file system (without the vendor files)."""
    return zip_bytes(package_files("autograd"))


def page_view(expression: str, pairs: Sequence[str], digits: int = 4) -> str:
    """What the page shows for an expression, as JSON text: the player's data (the graph as DOT when
    there is no ``dot`` program, as in Pyodide), the quiz, the explanation as MathML, the code.

    Bad input raises the parser's ``ExpressionError``; the page shows ``explain_json``'s error line instead.

    >>> view = json.loads(page_view("x*y", ["x=2", "y=3"]))
    >>> [q["prompt"] for q in view["quiz"]], view["gradients"]
    (['df/dy = ?', 'df/dx = ?'], [['x', '3.0'], ['y', '2.0']])
    """
    from ...engine.formatting import format_number
    from ...teach.codegen import NotCompilableError, to_python
    from ...teach.expr import build
    from ...teach.naming import node_names
    from ...teach.trace import forward_rows, step_mathml
    from ..html_player import _quiz_data, player_data

    out, inputs = build(expression, pairs)
    data = player_data(out, digits)  # without a dot program (Pyodide) the graph comes as DOT: the worker lays it out
    quiz = _quiz_data(out, data)
    names = node_names(out)
    steps = [step_mathml(step) for step in out.backward_steps(digits=digits)]  # leaves out's graph with its grads
    try:
        code = to_python(out, list(inputs.values()), "f_and_gradients")
    except NotCompilableError as error:
        code = f"# {error}"
    return json.dumps({
        "output": format_number(out.data, digits),
        "player": data,
        "quiz": quiz,
        "forward": [[name, shown] for name, shown in forward_rows(out, names, digits)],
        "steps": steps,
        "gradients": [[name, format_number(leaf.grad, digits)] for name, leaf in inputs.items()],
        "code": code,
    }, allow_nan=False)
