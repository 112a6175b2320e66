"""Every loss and optimizer against PyTorch float64: values, gradients and updates over many steps."""

import math
import os
import random

import pytest

from autograd import Value
from nn import losses, optim

if os.environ.get("CI") == "true":
    import torch  # CI installs the parity extra: a missing torch there is a failure
else:
    torch = pytest.importorskip("torch")

F = None if torch is None else torch.nn.functional


def tensors(xs):
    return torch.tensor(xs, dtype=torch.float64, requires_grad=True)


def check_loss(ours_fn, theirs_fn, predictions, targets):
    values = [Value(p) for p in predictions]
    loss = ours_fn(values, targets)
    loss.backward()
    t = tensors(predictions)
    reference = theirs_fn(t, torch.tensor(targets, dtype=torch.float64))
    reference.backward()
    assert loss.data == pytest.approx(reference.item(), rel=1e-12, abs=1e-15)
    assert [v.grad for v in values] == pytest.approx(t.grad.tolist(), rel=1e-10, abs=1e-15)


RNG = random.Random(0)
SCORES = [RNG.uniform(-3, 3) for _ in range(12)]


def test_mse():
    check_loss(losses.mse, F.mse_loss, SCORES, [RNG.uniform(-1, 1) for _ in SCORES])


def test_binary_cross_entropy_on_probabilities():
    probabilities = [RNG.uniform(0.01, 0.99) for _ in range(10)]
    targets = [float(RNG.random() < 0.5) for _ in probabilities]
    check_loss(losses.binary_cross_entropy, F.binary_cross_entropy, probabilities, targets)


@pytest.mark.parametrize("scale", [1.0, 50.0, 1000.0])
def test_bce_with_logits_is_stable_for_any_logit(scale):
    logits = [scale * z for z in SCORES]
    targets = [float(i % 2) for i in range(len(logits))]
    check_loss(losses.bce_with_logits, F.binary_cross_entropy_with_logits, logits, targets)


def test_hinge_matches_the_max_margin_formula_in_torch():
    labels = [1 if i % 3 else -1 for i in range(len(SCORES))]
    check_loss(losses.hinge, lambda s, y: torch.relu(1 - y * s).mean(), SCORES, labels)


@pytest.mark.parametrize("scale", [1.0, 300.0])
def test_softmax_cross_entropy(scale):
    batch = [[scale * RNG.uniform(-2, 2) for _ in range(4)] for _ in range(5)]
    targets = [RNG.randrange(4) for _ in batch]
    values = [[Value(z) for z in row] for row in batch]
    loss = losses.softmax_cross_entropy(values, targets)
    loss.backward()
    t = tensors(batch)
    reference = F.cross_entropy(t, torch.tensor(targets))
    reference.backward()
    assert loss.data == pytest.approx(reference.item(), rel=1e-12)
    assert [v.grad for row in values for v in row] == pytest.approx(t.grad.flatten().tolist(), rel=1e-9, abs=1e-15)


def test_l2_is_the_sum_of_squares():
    params = [Value(x) for x in SCORES]
    loss = losses.l2(params)
    loss.backward()
    assert loss.data == pytest.approx(sum(x * x for x in SCORES), rel=1e-14)
    assert [p.grad for p in params] == pytest.approx([2 * x for x in SCORES], rel=1e-15)


def test_loss_inputs_are_checked():
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        losses.mse([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(ValueError, match="labels -1 and \\+1, got 0"):
        losses.hinge([Value(1.0)], [0])
    with pytest.raises(ValueError, match="class index 3 is not in 0..2"):
        losses.softmax_cross_entropy([[Value(0.0)] * 3], [3])
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        losses.binary_cross_entropy([Value(1.5)], [1])
    with pytest.raises(ValueError, match="the batch is empty"):
        losses.mse([], [])


OPTIMIZERS = [
    ("sgd", lambda p: optim.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    ("momentum", lambda p: optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("nesterov", lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001),
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)),
    ("rmsprop", lambda p: optim.RMSprop(p, lr=0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop_full", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1),
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    ("adam", lambda p: optim.Adam(p, lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam_wd", lambda p: optim.Adam(p, lr=0.02, betas=(0.8, 0.95), weight_decay=0.1),
     lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.95), weight_decay=0.1)),
    ("adamw", lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.05),
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.05)),
]


def objective(xs, lib_sin):
    """A bumpy function of three parameters, the same for both engines."""
    a, b, c = xs
    return (a * b - 1.5) ** 2 + lib_sin(c) * a + 0.5 * c * c + (b - 0.5) ** 4


@pytest.mark.parametrize("name, ours_factory, theirs_factory", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_optimizer_matches_pytorch_over_many_steps(name, ours_factory, theirs_factory):
    start = [0.3, -1.2, 2.0]
    params = [Value(x) for x in start]
    ours = ours_factory(params)
    t = tensors(start)
    theirs = theirs_factory([t])
    for _ in range(25):
        ours.zero_grad()
        objective(params, Value.sin).backward()
        ours.step()
        theirs.zero_grad()
        objective(t, torch.sin).backward()
        theirs.step()
    assert [p.data for p in params] == pytest.approx(t.tolist(), rel=1e-10, abs=1e-12)


SCHEDULES = [
    (lambda o: optim.StepLR(o, step_size=3, gamma=0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5)),
    (lambda o: optim.LinearLR(o, 1.0, 0.1, 10), lambda o: torch.optim.lr_scheduler.LinearLR(o, 1.0, 0.1, 10)),
    (lambda o: optim.CosineLR(o, t_max=10, eta_min=0.01),
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.01)),
]


@pytest.mark.parametrize("ours_factory, theirs_factory", SCHEDULES)
def test_schedules_match_pytorch(ours_factory, theirs_factory):
    ours_opt = optim.SGD([Value(1.0)], lr=0.5)
    theirs_opt = torch.optim.SGD([tensors([1.0])], lr=0.5)
    ours, theirs = ours_factory(ours_opt), theirs_factory(theirs_opt)
    assert ours_opt.lr == pytest.approx(theirs_opt.param_groups[0]["lr"], rel=1e-12)
    for _ in range(14):
        theirs_opt.step()
        ours.step()
        theirs.step()
        assert ours_opt.lr == pytest.approx(theirs_opt.param_groups[0]["lr"], rel=1e-9, abs=1e-15)


def test_optimizer_state_dict_round_trip_continues_identically():
    a_params, b_params = [Value(0.3), Value(-1.0), Value(2.0)], [Value(0.3), Value(-1.0), Value(2.0)]
    a = optim.Adam(a_params, lr=0.05)
    for _ in range(3):
        a.zero_grad()
        objective(a_params, Value.sin).backward()
        a.step()
    for p, q in zip(b_params, a_params):
        p.data = q.data
    b = optim.Adam(b_params, lr=0.05)
    b.load_state_dict(a.state_dict())
    for opt, params in ((a, a_params), (b, b_params)):
        opt.zero_grad()
        objective(params, Value.sin).backward()
        opt.step()
    assert [p.data for p in a_params] == [p.data for p in b_params]
    with pytest.raises(ValueError, match="does not fit"):
        optim.Adam([Value(1.0)]).load_state_dict(a.state_dict())
    for broken in ({}, {"lr": 0.1}, dict(a.state_dict(), hyper={"momentum": 0.9}), None):
        with pytest.raises(ValueError, match="does not fit this Adam optimizer of 3 parameters"):
            b.load_state_dict(broken)


def test_optimizer_arguments_are_checked():
    with pytest.raises(ValueError, match="no parameters"):
        optim.SGD([])
    with pytest.raises(ValueError, match="lr must be a finite number >= 0"):
        optim.SGD([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([Value(1.0)], nesterov=True)
    with pytest.raises(TypeError, match="optimizes Values"):
        optim.Adam([1.0])
    assert math.isfinite(optim.Adam([Value(1.0)]).lr)
