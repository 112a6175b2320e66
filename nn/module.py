"""Module: the base of every model, with PyTorch's conventions for parameters and state."""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path

from autograd import Value, write_atomically

FILE_FORMAT = "chainrule.module"
FILE_VERSION = 1
MAX_FILE_BASE = 1 << 16  # bytes a model file may hold beyond its parameters (the header, the model's repr)
MAX_FILE_PER_PARAMETER = 512  # a name and a repr'd float, with room to spare


class StateError(ValueError):
    """A state dict or a saved file does not fit the model; the model was left unchanged."""


class Module:
    """A model: parameters (Values) and submodules found among its attributes.

    Attributes that are Values, Modules, or lists of them are walked in the order they were
    set, which gives each parameter a stable dotted name like ``layers.0.neurons.3.w.1``.
    """

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """(dotted name, parameter) pairs, in a stable order; a parameter shared by two
        attributes is listed once, under its first name (as in PyTorch).

        These names count from 0 like PyTorch's; each parameter's ``.label`` (what pictures
        and explanations show) is shorter and counts from 1: ``layers.0.neurons.2.w.1`` is
        labelled ``L1.n3.w2``.

        >>> from nn import Neuron
        >>> [name for name, _ in Neuron(2, seed=0).named_parameters()]
        ['w.0', 'w.1', 'b']
        """
        seen: set[int] = set()
        for name, item in vars(self).items():
            for dotted, p in _named(item, f"{prefix}{name}"):
                if id(p) not in seen:
                    seen.add(id(p))
                    yield dotted, p

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters``."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 (call it before each backward pass)."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """The parameters' values by dotted name (plain floats)."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, float]) -> None:
        """Set every parameter from ``state``; raises ``StateError`` and changes nothing on a mismatch.

        >>> from nn import Neuron
        >>> n = Neuron(1, seed=0); n.load_state_dict({"w.0": 0.5, "b": 1}); n.w[0].data, n.b.data
        (0.5, 1.0)
        """
        named = dict(self.named_parameters())
        if not isinstance(state, dict):
            raise StateError(f"a state dict is a dict of name -> number, got {type(state).__name__}")
        odd = [repr(k) for k in state if not isinstance(k, str)]
        if odd:
            raise StateError(f"a state dict's names are str (like {next(iter(named), 'w.0')!r}), got {_few(odd)}")
        missing = [n for n in named if n not in state]
        unexpected = [n for n in state if n not in named]
        if missing or unexpected:
            raise StateError(
                f"the state does not fit this {type(self).__name__}: "
                + "; ".join(part for part in (
                    f"missing {_few(missing)}" if missing else "",
                    f"unexpected {_few(unexpected)}" if unexpected else "") if part)
            )
        numbers = _finite_numbers(state)
        for name, p in named.items():
            p.data = numbers[name]

    def save(self, path: str | os.PathLike) -> Path:
        """Write the parameters to a JSON file, atomically: a failed save leaves the old file intact.

        Floats are written with ``repr``, so ``load`` restores them bit for bit. A parameter that
        is NaN or infinite (training diverged) is refused before anything is written, so a good
        checkpoint is never replaced by one that ``load`` cannot read.
        """
        state = self.state_dict()
        _finite_numbers(state)
        document = {"format": FILE_FORMAT, "version": FILE_VERSION, "model": repr(self), "state": state}
        write_atomically(path, json.dumps(document, indent=1).encode())
        return Path(path)

    def load(self, path: str | os.PathLike) -> None:
        """Load parameters saved by ``save``; a damaged or mismatched file raises ``StateError``.

        Only a regular file no larger than a model of this size can be is read (never a device
        or a pipe, which could block or never end); the model changes only if the whole file fits.
        """
        text = _read_model_file(path, MAX_FILE_BASE + MAX_FILE_PER_PARAMETER * len(self.parameters()))
        try:
            document = json.loads(text, parse_int=float, parse_constant=float)  # no int of 5000 digits
        except json.JSONDecodeError as error:
            raise StateError(f"{path} is damaged or truncated: {error.msg} at line {error.lineno}") from None
        except RecursionError:  # brackets nested thousands deep: no model file looks like that
            raise StateError(f"{path} is not a chainrule model file (its JSON is nested too deeply to read)") from None
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise StateError(f"{path} is not a chainrule model file (no \"format\": \"{FILE_FORMAT}\")")
        version = document.get("version")
        if type(version) is not float or version != FILE_VERSION:  # ints are read as floats; true is no version
            raise StateError(f"{path} has format version {version!r}; this chainrule reads {FILE_VERSION}")
        try:
            self.load_state_dict(document.get("state"))  # type: ignore[arg-type]  # it checks what it gets
        except StateError as error:
            raise StateError(f"{path}: {error}") from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _named(item: object, name: str) -> Iterator[tuple[str, Value]]:
    if isinstance(item, Value):
        yield name, item
    elif isinstance(item, Module):
        yield from item.named_parameters(prefix=f"{name}.")
    elif isinstance(item, (list, tuple)):
        for i, element in enumerate(item):
            yield from _named(element, f"{name}.{i}")


def _finite_numbers(state: Mapping[str, object]) -> dict[str, float]:
    """Each parameter's number as a float; ``StateError`` naming the first that is no finite real number."""
    numbers = {}
    for name, number in state.items():
        try:
            value = math.nan if isinstance(number, bool) else Value(number).data  # type: ignore[arg-type]  # as Value: int, float, numpy
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise StateError(f"parameter {name!r} must be a finite number, got {number!r:.40}")
        numbers[name] = value
    return numbers


def _read_model_file(path: str | os.PathLike, limit: int) -> str:
    """The text of a regular file of at most ``limit`` bytes (a UTF-8 BOM allowed), else ``StateError``."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise StateError(f"cannot read {path}: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        raise StateError(f"{path} is not a regular file (a model file is; not a folder, device or pipe)")
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise StateError(f"{path} is larger than a model file of this model can be ({limit} bytes at most)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StateError(f"{path} is not a chainrule model file (not UTF-8 text)") from None


def _few(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
