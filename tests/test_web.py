"""The browser side: the pinned vendor files (tools/fetch-vendor) and the static site (chainrule web)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _fetch(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "tools" / "fetch-vendor")], capture_output=True, text=True,
                          env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""}, timeout=60)


def test_fetch_vendor_checks_the_pinned_hash_unpacks_only_the_named_files_and_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "tools").mkdir(parents=True)
    (root / "autograd" / "show").mkdir(parents=True)
    shutil.copy(REPO / "tools" / "fetch-vendor", root / "tools")
    package = _tarball({"package/package.json": json.dumps({"license": "MIT", "repository": {
                            "url": "git+https://example.org/lib.git"}}).encode(),
                        "package/dist/lib.js": b"/*!\nLib 1.0\nCopyright (c) Someone\n*/\nlib();",
                        "package/dist/other.js": b"not wanted"})
    (tmp_path / "lib-1.0.tgz").write_bytes(package)
    pin = {"package": "lib", "version": "1.0", "url": (tmp_path / "lib-1.0.tgz").as_uri(),
           "sha512": base64.b64encode(hashlib.sha512(b"something else").digest()).decode(),
           "files": {"package/dist/lib.js": "lib.js"}}
    (root / "tools" / "vendor.json").write_text(json.dumps({"lib": pin}))
    refused = _fetch(root, tmp_path)
    assert refused.returncode == 1
    assert "vendor: error: lib 1.0: sha512 mismatch" in refused.stderr and "nothing was unpacked" in refused.stderr
    assert not (root / "autograd" / "show" / "vendor").exists()

    pin["sha512"] = base64.b64encode(hashlib.sha512(package).digest()).decode()
    (root / "tools" / "vendor.json").write_text(json.dumps({"lib": pin}))
    done = _fetch(root, tmp_path)
    assert done.returncode == 0, done.stderr
    unpacked = root / "autograd" / "show" / "vendor" / "lib"
    assert sorted(p.name for p in unpacked.iterdir()) == ["LICENSE.txt", "lib.js"]
    assert (unpacked / "lib.js").read_bytes() == b"/*!\nLib 1.0\nCopyright (c) Someone\n*/\nlib();"
    licence = (unpacked / "LICENSE.txt").read_text()
    assert "Licence: MIT" in licence and "Source: https://example.org/lib" in licence
    assert "Copyright (c) Someone" in licence
    again = _fetch(root, tmp_path)
    assert again.returncode == 0 and again.stdout == "vendor: up to date (lib 1.0)\n"


def test_the_pins_name_a_hash_for_every_download() -> None:
    pins = {k: v for k, v in json.loads((REPO / "tools" / "vendor.json").read_text()).items() if not k.startswith("_")}
    assert {pin["package"] for pin in pins.values()} == {"@viz-js/viz", "pyodide", "graphviz"}
    for pin in pins.values():
        assert pin["url"].startswith(("https://registry.npmjs.org/", "https://files.pythonhosted.org/"))
        assert len(pin.get("sha512", "")) == 88 or len(pin.get("sha256", "")) == 64
