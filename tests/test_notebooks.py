"""The classroom notebooks run top to bottom on a real kernel, and show pictures, math and the player."""

import os
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parent.parent / "demos"
NOTEBOOKS = {
    "chain_rule.ipynb": {"image/svg+xml", "text/markdown", "text/html", "application/vnd.jupyter.widget-view+json"},
    "train_moons.ipynb": {"image/png", "text/plain", "image/svg+xml", "text/html"},
    "second_order.ipynb": {"image/svg+xml"},
    # the widget's view, and for a host without one (this headless run) the static picture
    "live_widget.ipynb": {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"},
    "tensors.ipynb": {"image/svg+xml", "text/markdown", "text/plain"},
}

if os.environ.get("CI") == "true":
    import nbclient  # CI installs the notebooks extra: a missing nbclient there is a failure, not a skip
    import nbformat
else:
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")


@pytest.fixture(autouse=True)
def needs_dot():
    from .conftest import require_program

    require_program("dot", "apt-get install graphviz")


def test_notebooks_are_stored_without_outputs():
    for name in NOTEBOOKS:
        notebook = nbformat.read(DEMOS / name, as_version=4)
        assert all(not cell.get("outputs") and cell.get("execution_count") is None
                   for cell in notebook.cells if cell.cell_type == "code"), name


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs_and_shows_what_it_should(name, tmp_path):
    notebook = nbformat.read(DEMOS / name, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, if any cell fails
    shown = {mime for cell in notebook.cells if cell.cell_type == "code"
             for output in cell.outputs for mime in output.get("data", {})}
    assert NOTEBOOKS[name] <= shown, (name, shown)
    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert not errors
    if os.environ.get("CHAINRULE_NOTEBOOKS_OUT"):
        out = Path(os.environ["CHAINRULE_NOTEBOOKS_OUT"])
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out / name)
