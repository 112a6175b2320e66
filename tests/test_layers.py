"""The layers one can see in the folders: engine below teach below show below the CLI, no circle.

Imports are read with ``ast`` from every module of ``autograd`` and ``nn``, those inside
functions too. A lower layer may reach up only through the display hooks named here.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"engine": 0, "teach": 1, "show": 2, "cli": 3, "__init__": 3, "__main__": 4, "tensor": 3, "lab": 3}
# (module, function) pairs that may import a higher layer: display hooks on lower classes.
DISPLAY_HOOKS = {
    ("autograd.engine.value", "Value._repr_svg_"),
    ("autograd.engine.steps", "StepNames.__getitem__"),
    ("autograd.engine.steps", "BackwardStep.lines"),
    ("autograd.engine.steps", "BackwardStep._repr_markdown_"),
    ("autograd.engine.steps", "BackwardStep._repr_html_"),
    ("autograd.engine.steps", "BackwardStep._repr_svg_"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, str]]:
    """(imported module, the function it is imported in or "") for every import in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, where: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                continue  # for the type checker only: nothing is imported when the code runs
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, [*where, child.name])
                continue
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                modules = [target] if child.module else [f"{target}.{alias.name}" for alias in child.names]
                found.extend((m, ".".join(where)) for m in modules)
            elif isinstance(child, ast.Import):
                found.extend((alias.name, ".".join(where)) for alias in child.names)
            visit(child, where)

    visit(ast.parse(path.read_text(), str(path)), [])
    return found


def sources() -> list[Path]:
    return sorted([*ROOT.joinpath("autograd").rglob("*.py"), *ROOT.joinpath("nn").rglob("*.py")])


def layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "autograd":
        return None
    return LAYERS.get(parts[1], 3) if len(parts) > 1 else 3


def test_no_lower_layer_imports_a_higher_one_but_the_named_display_hooks():
    upward, hooks_seen = [], set()
    for path in sources():
        here = module_name(path)
        if layer(here) is None:
            continue
        for target, where in imports(path):
            there = layer(target)
            if there is not None and there > layer(here):
                if (here, where) in DISPLAY_HOOKS:
                    hooks_seen.add((here, where))
                else:
                    upward.append(f"{here} ({where or 'module level'}) imports {target}")
    assert upward == []
    assert hooks_seen == DISPLAY_HOOKS  # a hook that no longer imports upward is struck from the list


def test_the_import_graph_has_no_circle():
    graph: dict[str, set[str]] = {}
    known = {module_name(p) for p in sources()}
    for path in sources():
        here = module_name(path)
        for target, where in imports(path):
            if (here, where) in DISPLAY_HOOKS:
                continue  # a hook imports upward on call, by design: the one sanctioned way back
            while target and target not in known:  # `from .x import name` names a module or a name in it
                target = target.rpartition(".")[0]
            if target and target != here and not here.startswith(target + "."):  # a package's face is no edge back
                graph.setdefault(here, set()).add(target)
    circles, state = [], {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                circles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    assert circles == []


def test_nn_uses_only_what_autograd_exports():
    import autograd

    for path in ROOT.joinpath("nn").rglob("*.py"):
        for target, _ in imports(path):
            if target.startswith("autograd."):
                exported = target.rpartition(".")[2]
                assert target.count(".") == 1 and hasattr(autograd, exported), f"{path.name} imports {target}"


def test_the_engine_needs_only_the_standard_library():
    for path in ROOT.joinpath("autograd", "engine").rglob("*.py"):
        for target, where in imports(path):
            top = target.split(".")[0]
            assert top == "autograd" or top in sys.stdlib_module_names, f"{path.name} ({where}) imports {target}"


BLOCKED = """
import sys
sys.modules["graphviz"] = None  # as if not installed: any import of it fails
import autograd
from autograd import Value, grad, quiz, to_python, explain, text_graph
assert not [m for m in sys.modules if m.startswith("autograd.show")], "a show module was imported"
x = Value(2.0, "x"); w = Value(-3.0, "w")
y = (x * w).tanh(); y.label = "y"
y.backward()
assert abs(x.grad - w.data * (1 - y.data ** 2)) < 1e-12
(g,) = grad(y, [w])
assert g.data == w.grad
q = quiz(y)
assert q.answer("x", x.grad).correct
source = to_python(y, [x, w])
assert "def forward_backward(x, w)" in source
assert "dy/dx" in explain(y) and "x" in text_graph(y)
print(str(next(y.backward_steps())).splitlines()[0])
"""


def test_the_engine_and_teaching_work_without_graphviz_installed():
    done = subprocess.run([sys.executable, "-c", BLOCKED], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("dy/d(x*w) += dy/dy")


def test_import_autograd_loads_no_graphviz_and_no_show_module():
    code = ("import sys, autograd; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] == 'graphviz' or m.startswith('autograd.show') or m.startswith('autograd.teach')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout


def test_every_public_name_still_imports_from_autograd():
    import autograd

    for name in autograd.__all__:
        assert getattr(autograd, name) is not None
    assert autograd.Path is autograd.GraphPath  # the old name keeps working
