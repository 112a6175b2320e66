"""Optimizers and learning-rate schedules with PyTorch's update rules, over lists of Values.

    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(n):
        optimizer.zero_grad(); loss = ...; loss.backward(); optimizer.step()
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value, check_int, check_real


class Optimizer:
    """Holds the parameters, the learning rate and per-parameter state (lists of floats)."""

    def __init__(self, parameters: Iterable[Value], lr: float, **hyper: float) -> None:
        kind = type(self).__name__
        if callable(getattr(parameters, "parameters", None)):
            raise TypeError(f"{kind} takes the parameters (a list of Values): pass model.parameters(), "
                            f"not the {type(parameters).__name__} itself")
        if not isinstance(parameters, Iterable) or isinstance(parameters, (str, bytes, Value)):
            raise TypeError(f"{kind}: parameters must be a list of Values (model.parameters()), "
                            f"got {type(parameters).__name__}")
        self.params = list(parameters)
        if not self.params:
            raise ValueError(f"{kind} got no parameters to optimize")
        bad = [p for p in self.params if not isinstance(p, Value)]
        if bad:
            raise TypeError(f"{kind} optimizes Values: parameters must be Values, got {type(bad[0]).__name__}")
        self.lr = self._checked("lr", lr)
        self.hyper = {name: self._checked(name, value) for name, value in hyper.items()}
        self.steps = 0
        self.state: dict[str, list[float]] = {}

    def _checked(self, name: str, value: object) -> float:
        """A learning rate or hyperparameter: a finite number >= 0 (a beta below 1), else ValueError naming it."""
        return check_real(value, f"{type(self).__name__}: {name}", 0, below=1 if name.startswith("beta") else None)

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its grad."""
        self.steps += 1
        for i, p in enumerate(self.params):
            p.data = self.update(i, p.data, p.grad)

    def update(self, i: int, x: float, g: float) -> float:
        raise NotImplementedError

    def buffer(self, name: str) -> list[float]:
        """A per-parameter state list, created as zeros on first use."""
        return self.state.setdefault(name, [0.0] * len(self.params))

    def state_dict(self) -> dict:
        """The learning rate, hyperparameters, step count and state buffers (plain data)."""
        return {"lr": self.lr, "hyper": dict(self.hyper), "steps": self.steps,
                "state": {name: list(values) for name, values in self.state.items()}}

    def load_state_dict(self, state: dict) -> None:
        """Restore what ``state_dict`` gave; a mismatch raises ValueError and changes nothing."""
        fits = (
            isinstance(state, dict)
            and {"lr", "hyper", "steps", "state"} <= state.keys()
            and isinstance(state["state"], dict)
            and all(isinstance(v, list) and len(v) == len(self.params) for v in state["state"].values())
            and isinstance(state["hyper"], dict) and state["hyper"].keys() == self.hyper.keys()
        )
        if not fits:
            raise ValueError(
                f"this state does not fit this {type(self).__name__} optimizer of {len(self.params)} parameters "
                f"(it needs lr, hyper with {', '.join(self.hyper)}, steps, and one buffer entry per parameter)"
            )
        lr = self._checked("lr", state["lr"])
        hyper = {name: self._checked(name, value) for name, value in state["hyper"].items()}
        steps = check_int(state["steps"], "steps", 0)
        buffers = {name: [check_real(x, f"state[{name!r}]") for x in values] for name, values in state["state"].items()}
        self.lr, self.steps, self.hyper, self.state = lr, steps, hyper, buffers

    def __repr__(self) -> str:
        hyper = "".join(f", {k}={v:g}" for k, v in self.hyper.items())
        return f"{type(self).__name__}({len(self.params)} parameters, lr={self.lr:g}{hyper})"


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (PyTorch's rule)."""

    def __init__(self, parameters: Iterable[Value], lr: float = 0.01, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(parameters, lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("nesterov=True (Nesterov momentum) needs momentum > 0 and dampening = 0")
        self.nesterov = nesterov

    def update(self, i: int, x: float, g: float) -> float:
        h = self.hyper
        g = g + h["weight_decay"] * x
        if h["momentum"]:
            velocity = self.buffer("momentum")
            velocity[i] = g if self.steps == 1 else h["momentum"] * velocity[i] + (1 - h["dampening"]) * g
            g = g + h["momentum"] * velocity[i] if self.nesterov else velocity[i]
        return x - self.lr * g


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of the gradient (PyTorch's rule)."""

    def __init__(self, parameters: Iterable[Value], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        super().__init__(parameters, lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum)
        self.centered = centered

    def update(self, i: int, x: float, g: float) -> float:
        h = self.hyper
        g = g + h["weight_decay"] * x
        square = self.buffer("square_avg")
        square[i] = h["alpha"] * square[i] + (1 - h["alpha"]) * g * g
        if self.centered:
            mean = self.buffer("grad_avg")
            mean[i] = h["alpha"] * mean[i] + (1 - h["alpha"]) * g
            denominator = math.sqrt(square[i] - mean[i] * mean[i]) + h["eps"]
        else:
            denominator = math.sqrt(square[i]) + h["eps"]
        if h["momentum"]:
            velocity = self.buffer("momentum")
            velocity[i] = h["momentum"] * velocity[i] + g / denominator
            return x - self.lr * velocity[i]
        return x - self.lr * g / denominator


class Adam(Optimizer):
    """Adam with bias correction; ``weight_decay`` adds to the gradient (PyTorch's Adam)."""

    decoupled = False

    def __init__(self, parameters: Iterable[Value], lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"{type(self).__name__}: betas must be a pair of numbers in [0, 1) like (0.9, 0.999), "
                             f"got {betas!r:.60}")
        for k, beta in enumerate(betas):
            check_real(beta, f"{type(self).__name__}: betas[{k}]", 0, below=1)
        super().__init__(parameters, lr, beta1=betas[0], beta2=betas[1], eps=eps, weight_decay=weight_decay)

    def update(self, i: int, x: float, g: float) -> float:
        h = self.hyper
        if self.decoupled:
            x = x * (1 - self.lr * h["weight_decay"])
        else:
            g = g + h["weight_decay"] * x
        m, v = self.buffer("exp_avg"), self.buffer("exp_avg_sq")
        m[i] = h["beta1"] * m[i] + (1 - h["beta1"]) * g
        v[i] = h["beta2"] * v[i] + (1 - h["beta2"]) * g * g
        correction1 = 1 - h["beta1"] ** self.steps
        correction2 = 1 - h["beta2"] ** self.steps
        denominator = math.sqrt(v[i]) / math.sqrt(correction2) + h["eps"]
        return x - (self.lr / correction1) * (m[i] / denominator)


class AdamW(Adam):
    """Adam with decoupled weight decay: x shrinks by lr * weight_decay before the Adam step."""

    decoupled = True

    def __init__(self, parameters: Iterable[Value], lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01) -> None:
        super().__init__(parameters, lr, betas, eps, weight_decay)


class Schedule:
    """Sets ``optimizer.lr`` from the epoch count: call ``step()`` once per epoch, after the optimizer's."""

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: optimizer must be an Optimizer (like SGD(model.parameters())), "
                            f"got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.epoch = 0

    def step(self) -> float:
        self.epoch += 1
        self.optimizer.lr = self.lr_at(self.epoch)
        return self.optimizer.lr

    def lr_at(self, epoch: int) -> float:
        raise NotImplementedError


class StepLR(Schedule):
    """lr = base * gamma ** (epoch // step_size)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size, self.gamma = check_int(step_size, "step_size", 1), check_real(gamma, "gamma", 0)

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class LinearLR(Schedule):
    """The factor moves linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs.

    micrograd's demo schedule, lr = 1.0 - 0.9 * k / 100, is ``LinearLR(opt, 1.0, 0.1, 100)``.
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0, end_factor: float = 0.0,
                 total_iters: int = 100) -> None:
        super().__init__(optimizer)
        self.start, self.end = check_real(start_factor, "start_factor", 0), check_real(end_factor, "end_factor", 0)
        self.total = check_int(total_iters, "total_iters", 1)
        optimizer.lr = self.base_lr * start_factor

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * (self.start + (self.end - self.start) * min(epoch, self.total) / self.total)


class CosineLR(Schedule):
    """lr = eta_min + (base - eta_min) * (1 + cos(pi * epoch / T_max)) / 2."""

    def __init__(self, optimizer: Optimizer, t_max: int, eta_min: float = 0.0) -> None:
        super().__init__(optimizer)
        self.t_max, self.eta_min = check_int(t_max, "t_max", 1), check_real(eta_min, "eta_min", 0)

    def lr_at(self, epoch: int) -> float:
        return self.eta_min + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.t_max)) / 2
