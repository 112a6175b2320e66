"""Issue 25's reproducers, one test each: model files, writes, messages, arguments (each failed before its fix)."""

from __future__ import annotations

import json
import math
import os
import threading

import pytest

from autograd import Value
from nn import MLP, StateError


def test_save_refuses_nan_parameters_and_keeps_the_old_file(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    path = model.save(tmp_path / "m.json")
    good = path.read_bytes()
    model.parameters()[3].data = math.nan
    with pytest.raises(StateError, match=r"parameter 'layers\.0\.neurons\.1\.w\.0' must be a finite number, got nan"):
        model.save(path)
    assert path.read_bytes() == good
    MLP(2, [2, 1], seed=1).load(path)


def test_load_refuses_a_device_without_reading_it():
    with pytest.raises(StateError, match="/dev/zero is not a regular file"):
        MLP(2, [1]).load("/dev/zero")


def test_load_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    errors: list[BaseException] = []

    def load() -> None:
        try:
            MLP(2, [1]).load(fifo)
        except StateError as error:
            errors.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("load blocked on a FIFO")
    assert "not a regular file" in str(errors[0])


def test_load_refuses_a_file_far_larger_than_the_model(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 300_000 + b"{}")
    with pytest.raises(StateError, match="larger than a model file of this model can be"):
        MLP(2, [1]).load(path)


def _document(model: MLP, **state_text: str) -> str:
    text = json.dumps({"format": "chainrule.module", "version": 1, "model": "x", "state": model.state_dict()})
    for name, number in state_text.items():
        text = text.replace(json.dumps(name) + ": " + repr(model.state_dict()[name]), json.dumps(name) + ": " + number)
    return text


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1" + "0" * 5000, "1e400", "NaN", "-Infinity"])
def test_load_refuses_huge_numbers_clearly(tmp_path, number):
    model = MLP(2, [1], seed=0)
    before = model.state_dict()
    path = tmp_path / "m.json"
    path.write_text(_document(model, **{"layers.0.neurons.0.b": number}))
    with pytest.raises(StateError, match=r"parameter 'layers\.0\.neurons\.0\.b' must be a finite number"):
        model.load(path)
    assert model.state_dict() == before


def test_load_reads_a_utf8_bom_and_refuses_version_true(tmp_path):
    model = MLP(2, [1], seed=0)
    path = tmp_path / "m.json"
    path.write_bytes(b"\xef\xbb\xbf" + _document(model).encode())
    MLP(2, [1], seed=3).load(path)
    path.write_text(_document(model).replace('"version": 1', '"version": true'))
    with pytest.raises(StateError, match="format version True"):
        model.load(path)


def test_load_state_dict_takes_numpy_scalars_and_names_odd_keys():
    np = pytest.importorskip("numpy")
    model = MLP(1, [1], seed=0)
    model.load_state_dict({"layers.0.neurons.0.w.0": np.float64(1.5), "layers.0.neurons.0.b": np.int64(2)})
    assert model.state_dict() == {"layers.0.neurons.0.w.0": 1.5, "layers.0.neurons.0.b": 2.0}
    with pytest.raises(StateError, match=r"names are str .* got 1"):
        model.load_state_dict({1: 2})
