"""Writing files so that a failure never leaves half a file behind, and packing the package's own files."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc from Python 3.11 on

HTML_SUFFIXES = (".html", ".htm")  # what the player's page may be called, by the library and the CLI


class WriteError(OSError, ValueError):
    """A file could not be written (or may not be: a folder, a link to a device); the old file is intact.

    It names the path the caller gave, never a temporary file, and is an ``OSError`` (with the
    ``errno`` of the cause) as well as a ``ValueError`` (a bad path is a bad argument).
    """

    def __str__(self) -> str:
        return str(self.strerror)  # the sentence already names the path


def write_target(path: str | os.PathLike) -> Path:
    """The regular file that writing ``path`` replaces: ``path`` itself, or the end of its symlinks.

    Raises ``WriteError`` naming ``path`` for what no write can honour, before anything is
    written: no file name, a folder, a link to something other than a regular file, a parent that
    is not a folder.

    >>> write_target("out/graph.svg")
    PosixPath('out/graph.svg')
    >>> write_target(".")
    Traceback (most recent call last):
    ...
    autograd.engine.files.WriteError: '.' is a folder: give a file name
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    given = os.fspath(path)
    if isinstance(given, bytes):
        raise TypeError("path must be a str or os.PathLike of str, got bytes")
    if not given or "\0" in given:
        raise WriteError(errno.EINVAL, "path is empty or holds a NUL character: give a file name", given)
    target = Path(os.path.realpath(given)) if os.path.islink(given) else Path(given)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise WriteError(errno.ENOTDIR, f"a parent of {given!r} is a file, not a folder", given) from None
    except OSError as error:
        raise WriteError(error.errno, f"cannot write {given!r}: {error.strerror}", given) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(errno.EISDIR, f"{given!r} is a folder: give a file name", given)
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteError(errno.EINVAL, f"{given!r} leads to {str(target)!r}, which is not a regular file", given)
    if target.name in ("", ".", "..") or given.endswith(("/", os.sep)):
        raise WriteError(errno.EISDIR, f"{given!r} names a folder: give a file name", given)
    return target


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half.

    The bytes go to a temporary file beside the file they replace, are flushed to disk, and the
    file is renamed over it; on any error the temporary is removed, the old file is untouched and
    a ``WriteError`` names ``path``. A symlink is written through (its target is replaced, the link
    stays); a link to anything but a regular file, or a folder, is refused before any writing.

    >>> import tempfile, os
    >>> target = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> write_atomically(target, b"hello"); Path(target).read_text()
    'hello'
    """
    given = os.fspath(path) if isinstance(path, (str, os.PathLike)) else path
    target = write_target(path)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes (text.encode()), got {type(data).__name__}")
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")  # short: a long name still fits
        with os.fdopen(fd, "wb") as f:
            os.fchmod(fd, target.stat().st_mode & 0o777 if target.exists() else 0o644)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as error:
        if isinstance(error, WriteError):
            raise
        reason = error.strerror or str(error)
        raise WriteError(error.errno, f"cannot write {given!r}: {reason}", given) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same entries: no clock in an archive
LEFT_OUT = ("vendor", "__pycache__")  # folders a copy of the package leaves out: fetched browser files, bytecode


def package_files(package: str) -> dict[str, bytes]:
    """The files of an installed ``package`` by path (``autograd/engine/files.py``), in sorted order.

    Left out: the fetched browser files (``vendor``), bytecode and hidden files. For a copy of
    chainrule that runs elsewhere: in the browser (Pyodide), or a Gradescope grader's wheel.

    >>> "autograd/engine/files.py" in package_files("autograd")
    True
    """
    from importlib import resources  # packing is rare: importing autograd stays without it

    found: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.startswith(".") or entry.name.endswith((".pyc", ".pyo")):
                continue
            if entry.is_dir():
                if entry.name not in LEFT_OUT:
                    walk(entry, f"{prefix}{entry.name}/")
            else:
                found[prefix + entry.name] = entry.read_bytes()

    walk(resources.files(package), f"{package}/")
    return found


def zip_bytes(entries: Mapping[str, bytes], executable: Collection[str] = ()) -> bytes:
    """A zip of ``entries`` (name -> bytes) with no clock in it: the same entries, the same bytes.

    >>> zip_bytes({"a.txt": b"hi"}) == zip_bytes({"a.txt": b"hi"})
    True
    """
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = (0o755 if name in executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
