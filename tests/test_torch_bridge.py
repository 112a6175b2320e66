"""nn.to_torch / nn.from_torch: the same network in PyTorch, trained either way to the same losses."""

import os

import pytest

from nn import MLP, from_torch, losses, to_torch
from nn.optim import SGD

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure, not a skip
else:
    torch = pytest.importorskip("torch")

X = [[-1.0, 0.5], [0.3, -0.2], [0.8, 0.9], [-0.4, -0.7], [0.1, 0.0]]
Y = [0.2, -0.5, 0.9, -0.1, 0.3]


@pytest.mark.parametrize("activation, output", [("relu", None), ("tanh", "sigmoid"), ("leaky_relu", "tanh"),
                                                ("softplus", None), ("sigmoid", None)])
def test_round_trip_keeps_every_weight_and_output(activation, output):
    model = MLP(2, [4, 3, 1], activation=activation, output_activation=output, seed=5)
    net = to_torch(model)
    assert all(p.dtype == torch.float64 for p in net.parameters())
    for x in X:
        assert net(torch.tensor(x, dtype=torch.float64)).item() == pytest.approx(model(x).data, rel=1e-12, abs=1e-15)
    back = from_torch(net)
    assert back.state_dict() == model.state_dict()
    assert (back.activation, back.output_activation) == (activation, output)
    assert back.parameters()[0].label == "L1.n1.w1"


def test_the_same_net_trained_both_ways_gives_the_same_losses():
    model = MLP(2, [8, 1], activation="tanh", seed=11)
    net = to_torch(model)
    ours, theirs = [], []
    sgd = SGD(model.parameters(), lr=0.1)
    torch_sgd = torch.optim.SGD(net.parameters(), lr=0.1)
    inputs, targets = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    for _ in range(20):
        loss = losses.mse([model(x) for x in X], Y)
        sgd.zero_grad()
        loss.backward()
        sgd.step()
        ours.append(loss.data)
        reference = torch.nn.functional.mse_loss(net(inputs).squeeze(1), targets)
        torch_sgd.zero_grad()
        reference.backward()
        torch_sgd.step()
        theirs.append(reference.item())
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert ours[-1] < ours[0]


@pytest.mark.parametrize("make, error, message", [
    (lambda: to_torch("net"), TypeError, "to_torch takes an nn.MLP"),
    (lambda: from_torch(torch.nn.Linear(2, 1)), TypeError, "from_torch takes a torch.nn.Sequential"),
    (lambda: from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.GELU(), torch.nn.Linear(3, 1))),
     ValueError, r"layer 1 \(GELU\) is not one chainrule's MLP has"),
    (lambda: from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 3),
                                            torch.nn.Tanh(), torch.nn.Linear(3, 1))),
     ValueError, "hidden layers use different activations"),
    (lambda: from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1, bias=False))), ValueError, "has no bias"),
])
def test_what_does_not_fit_an_mlp_is_refused_clearly(make, error, message):
    with pytest.raises(error, match=message):
        make()
