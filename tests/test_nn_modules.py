"""nn modules: parameters, names, shapes, seeds, state dicts and files."""

import json
import math

import pytest

from autograd import Value
from nn import MLP, Layer, Module, Neuron, StateError


def test_mlp_has_micrograds_parameter_count_and_stable_names():
    model = MLP(2, [16, 16, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert len(model.parameters()) == 337 == len(set(names))
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.2.neurons.0.b"
    assert "337 parameters" in repr(model)


def test_neuron_weighted_sum_is_one_node():
    neuron = Neuron(3, activation=None, seed=0)
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "dot" and len(out.parents) == 4  # 3 weights and the bias
    expected = sum(w.data * x for w, x in zip(neuron.w, [1.0, 2.0, 3.0])) + neuron.b.data
    assert out.data == pytest.approx(expected, rel=1e-15)


def test_inputs_may_be_values_and_grads_reach_them():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    x = [Value(0.5), Value(-1.0)]
    model(x).backward()
    assert all(v.grad != 0 for v in x)


def test_hidden_layer_of_width_one_and_multi_output():
    model = MLP(2, [1, 3], seed=0)
    out = model([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(MLP(2, [1, 1], seed=0)([1.0, 2.0]), Value)
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), list)


def test_seed_makes_models_reproducible():
    a, b, c = MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=8)
    assert a.state_dict() == b.state_dict() != c.state_dict()


@pytest.mark.parametrize("activation, op", [("relu", "relu"), ("tanh", "tanh"), ("sigmoid", "sigmoid"),
                                             ("leaky_relu", "leaky_relu"), (None, "dot"), ("linear", "dot")])
def test_activations(activation, op):
    assert Neuron(2, activation=activation, seed=0)([1.0, 1.0]).op == op


def test_bad_construction_and_calls_are_named():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="at least one layer size"):
        MLP(2, [])
    with pytest.raises(ValueError, match=r"nin \(a neuron.s number of inputs\) must be an int >= 1, got 0"):
        Neuron(0)
    with pytest.raises(ValueError, match="this layer takes 2 inputs, got 3"):
        MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])


def test_zero_grad_zeroes_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip_and_refusals_change_nothing():
    model = MLP(2, [3, 1], seed=0)
    other = MLP(2, [3, 1], seed=1)
    other.load_state_dict(model.state_dict())
    assert other.state_dict() == model.state_dict()
    before = other.state_dict()
    broken = dict(model.state_dict())
    broken.pop("layers.1.neurons.0.b")
    broken["extra"] = 1.0
    with pytest.raises(StateError, match="missing layers.1.neurons.0.b; unexpected extra"):
        other.load_state_dict(broken)
    bad_value = dict(model.state_dict(), **{"layers.0.neurons.0.b": "x"})
    with pytest.raises(StateError, match="must be a finite number"):
        other.load_state_dict(bad_value)
    assert other.state_dict() == before


def test_save_load_is_bit_for_bit(tmp_path):
    model = MLP(2, [5, 3, 1], seed=3)
    for p in model.parameters():
        p.data = p.data / 3.0 + 1e-17  # awkward floats
    path = model.save(tmp_path / "model.json")
    clone = MLP(2, [5, 3, 1], seed=99)
    clone.load(path)
    assert [p.data.hex() for p in clone.parameters()] == [p.data.hex() for p in model.parameters()]
    assert json.loads(path.read_text())["format"] == "chainrule.module"


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text[: len(text) // 2], "damaged or truncated"),
        (lambda text: "", "damaged or truncated"),
        (lambda text: json.dumps({"hello": 1}), "not a chainrule model file"),
        (lambda text: text.replace('"version": 1', '"version": 9'), "format version 9"),
        (lambda text: text.replace('"layers.0.neurons.0.b"', '"layers.0.neurons.0.bias"'), "missing layers.0.neurons.0.b"),
        (lambda text: "[" * 30_000 + "]" * 30_000, "nested too deeply"),  # within the size limit
    ],
)
def test_loading_a_damaged_file_raises_and_leaves_the_model(tmp_path, damage, message):
    path = MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    path.write_text(damage(path.read_text()))
    model = MLP(2, [3, 1], seed=5)
    before = model.state_dict()
    with pytest.raises(StateError, match=message):
        model.load(path)
    assert model.state_dict() == before


def test_loading_a_mismatched_architecture_is_refused(tmp_path):
    path = MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    with pytest.raises(StateError, match="does not fit this MLP"):
        MLP(2, [4, 1], seed=0).load(path)


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StateError, match="not a chainrule model file"):
        MLP(2, [3, 1]).load(path)


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    model = MLP(2, [3, 1], seed=0)
    path = model.save(tmp_path / "m.json")
    old = path.read_bytes()
    for p in model.parameters():
        p.data += 1.0

    def crash(*args):
        raise OSError("disk full")

    import autograd.engine.files

    monkeypatch.setattr(autograd.engine.files.os, "fsync", crash)  # dies after writing, before the rename
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]  # no temporary left behind


def test_custom_modules_find_nested_parameters():
    class Pair(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.inner = [Neuron(1, seed=0), Neuron(1, seed=1)]

        def forward(self, x):
            return self.scale * Value.sum(n([x]) for n in self.inner)

    names = [n for n, _ in Pair().named_parameters()]
    assert names == ["scale", "inner.0.w.0", "inner.0.b", "inner.1.w.0", "inner.1.b"]
    assert math.isfinite(Pair()(1.0).data)


def test_a_shared_parameter_is_listed_once():
    class Tied(Module):
        def __init__(self):
            self.encoder = Neuron(2, seed=0)
            self.decoder_weights = self.encoder.w  # tied weights

        def forward(self, x):
            return self.encoder(x)

    names = [n for n, _ in Tied().named_parameters()]
    assert names == ["encoder.w.0", "encoder.w.1", "encoder.b"]
