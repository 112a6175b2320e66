"""The promise, checkable: every write (models, pictures, pages, worksheets, exports, GIFs) leaves the
old file intact when it fails on a full filesystem, and refuses a symlink it cannot honour (issue 25,
"the files").

As root the writes go to a 64 KiB tmpfs that is then filled to the last byte; elsewhere a fake disk
makes every write of the temporary file fail with ENOSPC. Links point at files in a temporary
folder (or at that folder), never at a device.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from autograd import Value
from autograd.engine import files

from .conftest import require_program


def _graph() -> Value:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = (x * w + 1.0).tanh()
    y.label = "y"
    y.backward()
    return y


def _writers() -> dict[str, tuple[str, Callable[[Path], object]]]:
    """Each public way of writing a file: (the file's name, a function that writes it there)."""
    from nn import MLP

    def render(suffix: str) -> Callable[[Path], object]:
        def write(path: Path) -> object:
            from autograd import render

            return render(_graph(), path)
        return write

    def player(path: Path) -> object:
        from autograd import write_player

        return write_player(_graph(), path)

    def worksheet(path: Path) -> object:
        from autograd.show.worksheet import write_worksheet

        return write_worksheet(1, 0, path.parent)

    def export(fmt: str) -> Callable[[Path], object]:
        def write(path: Path) -> object:
            from autograd.show.export import export as export_variants

            return export_variants("x*w", {"x": (1, 2), "w": (3, 4)}, 2, 0, fmt, path)
        return write

    def gif(path: Path) -> object:
        from autograd import animate

        return animate(_graph(), path, width=640)

    return {
        "model": ("model.json", lambda path: MLP(2, [2, 1], seed=0).save(path)),
        "svg": ("graph.svg", render(".svg")), "png": ("graph.png", render(".png")), "dot": ("graph.dot", render(".dot")),
        "player": ("steps.html", player), "worksheet": ("worksheet.html", worksheet),
        "moodle": ("quiz.xml", export("moodle")), "gift": ("quiz.txt", export("gift")),
        "qti": ("quiz.zip", export("qti")), "gradescope": ("grader.zip", export("gradescope")),
        "gif": ("backprop.gif", gif),
        "write_atomically": ("data.bin", lambda path: files.write_atomically(path, b"new" * 50_000)),
    }


@contextlib.contextmanager
def _full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on a filesystem with no byte left: a real 64 KiB tmpfs as root, else a fake."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True).returncode == 0
    try:
        if not mounted:
            real_fdopen = os.fdopen

            class Full:
                def __init__(self, f: object) -> None:
                    self.f = f

                def __enter__(self) -> Full:
                    return self

                def __exit__(self, *exc: object) -> None:
                    self.f.close()  # type: ignore[attr-defined]

                def write(self, data: bytes) -> int:
                    raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
        yield folder
    finally:
        monkeypatch.undo()
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def _fill(folder: Path) -> None:
    """Use the filesystem's last byte (a real tmpfs; the fake is full already)."""
    if not os.path.ismount(folder):
        return
    try:
        with open(folder / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError as error:
        assert error.errno == errno.ENOSPC


NEEDS_DOT = {"svg", "png", "dot", "player", "worksheet", "gif", "qti", "gradescope", "moodle"}


def test_a_write_on_a_full_filesystem_fails_clearly_and_keeps_the_old_file(tmp_path, monkeypatch):
    require_program("dot", "apt-get install graphviz")
    pytest.importorskip("PIL")
    tried = 0
    with _full_disk(tmp_path, monkeypatch) as disk:
        old = {}
        for kind, (name, _) in _writers().items():
            (disk / kind).mkdir()
            (disk / kind / name).write_bytes(b"old " + kind.encode())
            old[kind] = (disk / kind / name).read_bytes()
        _fill(disk)
        for kind, (name, write) in _writers().items():
            path = disk / kind / name
            with pytest.raises(OSError) as caught:
                write(path)
            tried += 1
            assert caught.value.errno == errno.ENOSPC, (kind, caught.value)
            assert name in str(caught.value) and ".tmp" not in str(caught.value), (kind, str(caught.value))
            assert path.read_bytes() == old[kind], kind
            assert sorted(p.name for p in path.parent.iterdir()) == [name], f"{kind} left a temporary file"
    print(f"full filesystem: {tried} writers, each kept its old file")
    assert tried == len(_writers()) >= 12


def test_every_write_goes_through_a_link_to_a_file_and_refuses_a_link_to_a_folder(tmp_path):
    require_program("dot", "apt-get install graphviz")
    pytest.importorskip("PIL")
    tried = 0
    for kind, (name, write) in _writers().items():
        if kind == "worksheet":
            continue  # it writes into a folder it is given, not to a file name
        folder = tmp_path / kind
        folder.mkdir()
        target = folder / ("target" + Path(name).suffix)
        target.write_bytes(b"old")
        link = folder / name
        link.symlink_to(target)
        write(link)
        assert link.is_symlink() and target.read_bytes() != b"old", kind
        elsewhere = folder / ("folder" + Path(name).suffix)
        elsewhere.symlink_to(folder)
        with pytest.raises(OSError, match="is a folder"):
            write(elsewhere)
        assert sorted(p.name for p in folder.iterdir()) == sorted([name, target.name, elsewhere.name]), kind
        tried += 2
    print(f"symlinks: {tried} writes through links")
