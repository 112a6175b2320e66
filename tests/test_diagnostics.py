"""nn.diagnostics: saturation, dead units, gradient and update ratios, per layer."""

import math

import pytest

from autograd import Value
from nn import MLP, data, diagnostics
from nn.optim import SGD


def test_saturated_tanh_and_dead_relu_are_counted():
    X, _ = data.make_moons(32, seed=0)
    wide = MLP(2, [8, 1], activation="tanh", seed=0)
    for n in wide.layers[0].neurons:  # huge weights: every tanh in its flat tails
        for w in n.w:
            w.data *= 100
    health = diagnostics.inspect(wide, X)
    assert health.layers[0].saturated > 0.9 and health.layers[0].dead == 0.0
    relu = MLP(2, [8, 1], activation="relu", seed=0)
    for n in relu.layers[0].neurons[:4]:  # four units that can never fire
        n.b.data = -100.0
    health = diagnostics.inspect(relu, X)
    assert health.layers[0].dead == pytest.approx(0.5) and health.layers[0].saturated == 0.0
    assert [h.activation for h in health.layers] == ["relu", "linear"]


def test_gradients_and_grad_to_data_ratios_come_from_the_pass():
    X, _ = data.make_moons(16, seed=1)
    model = MLP(2, [4, 1], activation="tanh", seed=2)
    health = diagnostics.inspect(model, X, loss=lambda outs: Value.sum([o * o for o in outs]))
    assert len(health.layers[0].outputs) == 16 * 4 and len(health.layers[0].gradients) == 16 * 4
    weights = [w for n in model.layers[1].neurons for w in n.w]
    import statistics
    expected = statistics.pstdev([w.grad for w in weights]) / statistics.pstdev([w.data for w in weights])
    assert health.layers[1].grad_to_data == pytest.approx(expected)
    assert "saturated" in str(health)


def test_update_ratio_of_one_sgd_step():
    X, y = data.make_moons(16, seed=0)
    model = MLP(2, [4, 1], seed=0)
    before = model.state_dict()
    loss = Value.sum([(model(x) - t) ** 2 for x, t in zip(X, y)])
    model.zero_grad()
    loss.backward()
    SGD(model.parameters(), lr=1e-3).step()
    ratios = diagnostics.update_ratios(before, model.state_dict())
    assert set(ratios) == {"L1", "L2"} and all(0 < r < 1 and math.isfinite(r) for r in ratios.values())


def test_inspect_refuses_other_models():
    with pytest.raises(TypeError, match="inspect takes an nn.MLP"):
        diagnostics.inspect("model", [[0.0, 1.0]])
