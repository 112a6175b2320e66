"""The Gradescope autograder for an exercise: a zip that grades ``answers.json`` offline.

The zip holds what Gradescope asks for (``setup.sh``, ``run_autograder``), the answer key
(``variants.json``) and chainrule itself as a wheel, which ``setup.sh`` installs with no
network. ``run_autograder`` runs ``python -m autograd.teach.grader`` (see that module).
The wheel is made from the installed package's own files, so the grader runs the same engine
that made the exercise; the browser files (Pyodide, Graphviz compiled to WebAssembly) are left
out: grading needs only the engine and the quiz.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from importlib import metadata, resources

from ..engine.files import package_files, zip_bytes
from .grader import KEY_FILE, key_data
from .variants import Variant

PACKAGES = ("autograd", "nn")
SCRIPTS = ("setup.sh", "run_autograder")


def version() -> str:
    """chainrule's installed version, or ``0.0.0`` when run from a checkout that was never installed.

    >>> version().count(".") >= 2
    True
    """
    try:
        return metadata.version("chainrule")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def wheel() -> tuple[str, bytes]:
    """chainrule as a wheel built from its installed files: (file name, bytes), the same bytes each time.

    >>> name, data = wheel(); name.startswith("chainrule-") and name.endswith("-py3-none-any.whl")
    True
    """
    release = version()
    info = f"chainrule-{release}.dist-info"
    files = [item for package in PACKAGES for item in package_files(package).items()]
    files += [
        (f"{info}/METADATA", f"Metadata-Version: 2.1\nName: chainrule\nVersion: {release}\n"
                             "Summary: chainrule's engine, for grading (made by chainrule export)\n".encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: chainrule\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
        (f"{info}/entry_points.txt", b"[console_scripts]\nchainrule = autograd.cli:main\n"),
    ]
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in files) + f"{info}/RECORD,,\n"
    entries = dict(files) | {f"{info}/RECORD": record.encode()}
    return f"chainrule-{release}-py3-none-any.whl", zip_bytes(entries)


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def autograder_zip(variants: Sequence[Variant]) -> bytes:
    """The zip to upload as a Gradescope programming assignment's autograder.

    >>> import io, zipfile
    >>> key = [Variant(1, "x*w", (("x", 2.0), ("w", 3.0)), (("x", 3.0), ("w", 2.0)))]
    >>> sorted(n for n in zipfile.ZipFile(io.BytesIO(autograder_zip(key))).namelist() if not n.endswith(".whl"))
    ['run_autograder', 'setup.sh', 'variants.json']
    """
    scripts = resources.files("autograd.teach") / "assets" / "gradescope"
    name, data = wheel()
    entries = {script: (scripts / script).read_bytes() for script in SCRIPTS}
    entries |= {KEY_FILE: (json.dumps(key_data(variants), indent=2) + "\n").encode(), name: data}
    return zip_bytes(entries, executable=SCRIPTS)
