"""fit(compile=True): training from generated code takes the dynamic engine's steps."""

import pytest

from nn import MLP, data, fit
from nn.compiled import CompiledLoss
from nn.optim import SGD, Adam


@pytest.mark.parametrize("loss, activation, output", [("hinge", "relu", None), ("mse", "tanh", None),
                                                      ("bce_with_logits", "relu", None),
                                                      ("bce", "tanh", "sigmoid")])
def test_compiled_fit_takes_the_same_steps(loss, activation, output):
    X, y = data.make_moons(40, noise=0.1, seed=3)
    histories, states = [], []
    for compile_ in (False, True):
        model = MLP(2, [8, 8, 1], activation=activation, output_activation=output, seed=4)
        optimizer = Adam(model.parameters(), lr=0.02) if loss == "mse" else SGD(model.parameters(), lr=0.3, momentum=0.5)
        histories.append(fit(model, X, y, loss=loss, optimizer=optimizer, epochs=6, batch_size=16, l2=1e-3,
                             progress=False, seed=9, compile=compile_))
        states.append(model.state_dict())
    dynamic, compiled = histories
    assert compiled.loss == pytest.approx(dynamic.loss, rel=1e-12)
    assert compiled.accuracy == dynamic.accuracy
    for name, value in states[0].items():
        assert states[1][name] == pytest.approx(value, rel=1e-12, abs=1e-14), name


def test_one_function_per_label_and_the_gradients_match_backward():
    model = MLP(2, [4, 1], seed=0)
    compiled = CompiledLoss(model, __import__("nn").losses.hinge, "hinge", nin=2)
    for x, t in (([0.5, -1.0], 1), ([1.5, 0.2], -1), ([0.1, 0.3], 1)):
        value, grads = compiled.value_and_grads(x, t)
        model.zero_grad()
        loss = __import__("nn").losses.hinge([model(x)], [t])
        loss.backward()
        assert value == pytest.approx(loss.data, rel=1e-12)
        assert list(grads) == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
    assert len(compiled._functions) == 2  # labels -1 and +1


def test_compile_refuses_what_it_cannot_do():
    X, y = data.make_moons(10, seed=0)
    with pytest.raises(ValueError, match="compile=True works with the losses"):
        CompiledLoss(MLP(2, [4, 1], seed=0), lambda p, t: p[0], "huber", nin=2)
    with pytest.raises(ValueError, match="needs the loss by name"):
        fit(MLP(2, [4, 1], seed=0), X, y, loss=lambda p, t: p[0], epochs=1, progress=False, compile=True)


def test_compiled_softmax_cross_entropy_takes_the_dynamic_steps():
    """The shift of log-sum-exp is the largest logit, computed in the generated code (a constant
    from the trace would be stale); the loss and the steps are the dynamic engine's."""
    X, y = data.make_spirals(45, classes=3, seed=2)
    histories, states = [], []
    for compile_ in (False, True):
        model = MLP(2, [8, 3], activation="tanh", seed=5)
        histories.append(fit(model, X, y, loss="softmax_cross_entropy", optimizer=Adam(model.parameters(), lr=0.05),
                             epochs=5, batch_size=15, progress=False, seed=1, compile=compile_))
        states.append(model.state_dict())
    assert histories[1].loss == pytest.approx(histories[0].loss, rel=1e-12)
    assert histories[1].accuracy == histories[0].accuracy
    for name, value in states[0].items():
        assert states[1][name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


def test_compiled_softmax_stays_finite_for_huge_logits():
    import math

    from nn import losses

    model = MLP(1, [2], activation=None, seed=0)
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[1].w[0].data = 1.0, -1.0
    compiled = CompiledLoss(model, losses.softmax_cross_entropy, "softmax_cross_entropy", nin=1)
    value, grads = compiled.value_and_grads([900.0], 1)  # logits 900 and -900: exp(900) overflows a float
    assert value == pytest.approx(1800.0) and all(math.isfinite(g) for g in grads)


def test_compiled_fit_reads_the_outputs_from_the_generated_code(monkeypatch):
    """Accuracy comes from the outputs the compiled function returns: the model is never called in a step."""
    X, y = data.make_moons(20, noise=0.1, seed=1)
    model = MLP(2, [4, 1], seed=2)
    calls, forward = [], MLP.__call__
    monkeypatch.setattr(MLP, "__call__", lambda self, x: calls.append(x) or forward(self, x))
    history = fit(model, X, y, loss="hinge", epochs=3, progress=False, compile=True)
    assert len(calls) == 2  # the trace, once per label: no forward pass per step
    assert 0.0 <= history.accuracy[-1] <= 1.0 and len(history.accuracy) == 3
