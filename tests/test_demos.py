"""Every demo runs as a script (smoke settings) and writes its pictures."""

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import require_program

DEMOS = Path(__file__).resolve().parent.parent / "demos"

CASES = [
    ("moons.py", ["moons_boundary.png", "moons_loss.png", "moons_network.html"], "steps in"),
    ("logistic_regression.py", ["logistic_regression.png"], "closed-form gradient"),
    ("optimizers.py", ["optimizers.png"], "Adam"),
    ("vanishing_gradients.py", ["vanishing_gradients.png", "activations_and_gradients.png"], "layer 1 / last layer"),
    ("rnn.py", ["rnn.png", "rnn_unrolled.png"], "no recursion"),
    ("second_order.py", ["second_order.png"], "Newton: "),
    ("nudge_lab.py", ["nudge_lab.png"], "central difference: best error"),
    ("broken_backward.py", ["lab_recursive.png", "lab_overwrite.png"], "<- differs"),
    ("tensor_bridge.py", ["tensor_bridge.png", "tensor_view.png", "weight_paths.png"], "dL/dW1 = Xᵀ · dL/d(X @ W1)"),
]


GRAPHVIZ_PICTURES = {"rnn_unrolled.png", "moons_network.html", "lab_recursive.png", "lab_overwrite.png",
                     "tensor_view.png", "weight_paths.png"}  # drawn by Graphviz: skipped, and said so, without it


@pytest.mark.parametrize("script, pictures, phrase", CASES, ids=[c[0] for c in CASES])
def test_demo_runs_and_writes_its_pictures(tmp_path, script, pictures, phrase):
    done = subprocess.run([sys.executable, str(DEMOS / script), "--quick", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert phrase in done.stdout
    for picture in sorted(pictures, key=lambda p: p in GRAPHVIZ_PICTURES):  # matplotlib's first
        if picture in GRAPHVIZ_PICTURES:
            require_program("dot", "apt-get install graphviz")  # in CI it is there; elsewhere the demo said why
        start = (tmp_path / picture).read_bytes()[:24]
        assert start[:4] == b"\x89PNG" if picture.endswith(".png") else start[:15] == b"<!DOCTYPE html>"
        if picture.endswith(".png"):  # for a projector: at least 1600 px on the long side
            assert max(struct.unpack(">II", start[16:24])) >= 1600, (picture, struct.unpack(">II", start[16:24]))


def test_chain_rule_walkthrough(tmp_path, monkeypatch):
    require_program("dot", "apt-get install graphviz")
    sys.path.insert(0, str(DEMOS))
    try:
        import chain_rule
    finally:
        sys.path.remove(str(DEMOS))
    monkeypatch.setattr(chain_rule, "OUT", tmp_path)
    chain_rule.main()
    assert "do/dw1" in (tmp_path / "chain_rule.html").read_text()
    texts = [t.text for t in ET.parse(tmp_path / "chain_rule.svg").getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "grad -1.5" in texts and "grad 1.0" in texts  # x1 and w1, every grad filled in
