import os

from hypothesis import HealthCheck, settings

# Timing varies on shared machines: no per-example deadline. CI runs a fixed seed set.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True, max_examples=200)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


def require_program(name: str, install: str) -> str:
    """The path of an external program; skip when it is missing, except in CI, where that fails."""
    import shutil

    import pytest

    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({install})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must run this test; make test installs it")
    pytest.skip(message)


def require_module(name: str, install: str):
    """The imported module ``name``; skip when it is missing, except in CI, where that fails."""
    import importlib

    import pytest

    try:
        return importlib.import_module(name)
    except ImportError:
        message = f"the Python package {name} is not installed ({install})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run this test; make test installs it")
        pytest.skip(message)
