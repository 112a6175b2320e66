import inspect
import os
import re

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
    pytest.skip(message, allow_module_level=True)


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
        pytest.skip(message, allow_module_level=True)


# Markers (registered in pyproject.toml, --strict-markers) that each test gets from what its code needs,
# so nobody has to remember them: `pytest -m "not slow and not browser"` is the quick loop. Read from the
# test's source, the fixtures of its module it uses, and its module's own top-level code.
NEEDS = {
    "browser": re.compile(r"require_program\(\"chrom|\bchromium\("),
    "graphviz": re.compile(r"require_program\(\"dot\""),
    "torch": re.compile(r"import torch\b|[(\"]torch[\")]"),
    "notebook": re.compile(r"\bnbclient\b|\bipykernel\b|\bjupyter"),
}
SLOW_TOO = ("browser", "notebook")  # a browser or a kernel takes seconds to start


def _sources(item) -> str:
    function = getattr(item, "function", None)
    if function is None:  # a doctest
        return ""
    module = item.module
    texts = [inspect.getsource(function)]
    for name in getattr(item, "fixturenames", ()):
        fixture = getattr(module, name, None)
        if fixture is not None and callable(fixture):
            try:
                texts.append(inspect.getsource(getattr(fixture, "__wrapped__", fixture)))
            except (OSError, TypeError):
                pass
    texts.append(_module_top(module))
    return "\n".join(texts)


_TOP: dict[str, str] = {}


def _module_top(module) -> str:
    """The module's statements outside functions and classes (its imports and module-level skips)."""
    if module.__name__ not in _TOP:
        import ast

        source = inspect.getsource(module)
        tree = ast.parse(source)
        _TOP[module.__name__] = "\n".join(ast.get_source_segment(source, node) or "" for node in tree.body
                                          if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    return _TOP[module.__name__]


def pytest_collection_modifyitems(items) -> None:
    import pytest

    for item in items:
        text = _sources(item)
        found = {marker for marker, pattern in NEEDS.items() if pattern.search(text)}
        found |= {marker.name for marker in item.iter_markers() if marker.name in NEEDS}
        if found & set(SLOW_TOO):
            found.add("slow")
        for marker in sorted(found - {m.name for m in item.iter_markers()}):
            item.add_marker(getattr(pytest.mark, marker))
