"""Writing files so that a failure never leaves half a file behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

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
