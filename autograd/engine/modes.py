"""Per-thread switches that change how ops record: ``no_grad`` and ``detect_anomaly``.

Ops read one flag, ``MODE.plain``, on their fast path; it is True unless one of the
contexts below is active in the current thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class _Mode(threading.local):
    # Class attributes are each new thread's starting values.
    recording = True
    anomaly = False
    plain = True

    def update(self, recording: bool, anomaly: bool) -> None:
        self.recording = recording
        self.anomaly = anomaly
        self.plain = recording and not anomaly


MODE = _Mode()


class AnomalyError(FloatingPointError, ValueError):
    """Raised inside ``detect_anomaly()`` at the first NaN or infinity."""


@contextlib.contextmanager
def _switched(**changes: bool) -> Iterator[None]:
    saved = {"recording": MODE.recording, "anomaly": MODE.anomaly}
    MODE.update(**{**saved, **changes})
    try:
        yield
    finally:
        MODE.update(**saved)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Inside this context ops record no graph: every result is a leaf.

    >>> from autograd import Value, no_grad
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.op, y.parents
    ('', ())
    """
    return _switched(recording=False)


def detect_anomaly() -> contextlib.AbstractContextManager[None]:
    """Inside this context the first NaN or infinity raises ``AnomalyError``.

    Forward ops are checked as they run (the error names the op and its inputs);
    ``backward()`` checks every gradient it adds (the error names the node).

    >>> from autograd import Value, detect_anomaly
    >>> with detect_anomaly():
    ...     Value(0.0).sqrt()
    Traceback (most recent call last):
    ...
    autograd.engine.modes.AnomalyError: detect_anomaly: 'sqrt' gave the local derivative inf; inputs: 0.0
    """
    return _switched(anomaly=True)
