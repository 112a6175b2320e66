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
        fit(MLP(2, [4, 2], seed=0), X, y, loss="softmax_cross_entropy", epochs=1, progress=False, compile=True)
    with pytest.raises(ValueError, match="needs the loss by name"):
        fit(MLP(2, [4, 1], seed=0), X, y, loss=lambda p, t: p[0], epochs=1, progress=False, compile=True)
