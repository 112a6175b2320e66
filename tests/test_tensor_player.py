"""The player's tensor view: one step per tensor op, each tensor's box filling in its gradient, in Chromium."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest

from autograd import Value, player, write_player
from autograd.show.tensor_player import tensor_player_data
from autograd.tensor import Tensor, mse

from .test_player import browser  # noqa: F401 (the headless Chromium fixture)


def network():
    X = Tensor([[1.1, 0.15], [0.0, 0.42], [1.9, 0.5]], "X")
    W1 = Tensor([[-0.5, -0.26, 0.25], [0.09, 0.21, -0.87]], "W1")
    b1 = Tensor([0.0, 0.1, -0.1], "b1")
    W2 = Tensor([[-0.97], [0.68], [-0.48]], "W2")
    Z1 = X @ W1 + b1
    Z1.label = "Z1"
    A1 = Z1.tanh()
    A1.label = "A1"
    return mse(A1 @ W2, [[1.0], [-1.0], [1.0]]), W1


def test_the_tensor_players_data_has_a_step_per_tensor_op():
    loss, W1 = network()
    data = tensor_player_data(loss)
    names = [node["name"] for node in data["nodes"]]
    assert names == ["X", "W1", "X @ W1", "b1", "Z1", "A1", "W2", "A1 @ W2", "L"]
    assert data["root"] == names.index("L") and data["root_name"] == "L"
    assert [data["nodes"][s["node"]]["name"] for s in data["steps"]] == ["L", "A1 @ W2", "A1", "Z1", "X @ W1"]
    last = data["steps"][-1]
    assert last["rules"] == ["dL/dX = dL/d(X @ W1) · W1ᵀ", "dL/dW1 = Xᵀ · dL/d(X @ W1)"]
    loss.backward()
    assert [names[k] for k, _ in last["grads"]] == ["X", "W1"]
    assert last["grads"][1][1] == data["nodes"][1]["final"] == "[[" + ", ".join(
        f"{g:.3g}" for g in W1.grad[0]) + "], [" + ", ".join(f"{g:.3g}" for g in W1.grad[1]) + "]]"
    svg = html.unescape(data["svg"])  # Graphviz writes - as &#45;
    for k in range(len(names)):
        assert f'id="value-{k}"' in svg
    with pytest.raises(ValueError, match="made by a tensor op"):
        tensor_player_data(Value(1.0) * 2)
    with pytest.raises(ValueError, match="not both"):
        player(loss, quiz=True, view="tensor")


def test_the_tensor_player_steps_in_chromium(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    loss, _ = network()
    page = write_player(loss, tmp_path / "tensors.html", view="tensor")
    browser.get(page.as_uri())
    counter = browser.find_element(By.ID, "counter")

    def grad_of(node_id):
        return browser.execute_script(
            "return Array.from(document.getElementById(arguments[0]).querySelectorAll('text'))"
            ".map(t => t.textContent).find(t => t.startsWith('grad '));", node_id)

    assert counter.text == "step 0 / 5"
    assert grad_of("value-1") == "grad ?" and grad_of("value-8") == "grad 1.0"  # W1 waits; the loss starts at 1
    browser.find_element(By.ID, "next").click()
    assert browser.find_element(By.ID, "line").text.startswith("at L = mse(A1 @ W2): dL/d(A1 @ W2) = ")
    assert grad_of("value-7").startswith("grad [[") and grad_of("value-1") == "grad ?"
    for _ in range(4):
        browser.find_element(By.ID, "next").click()
    assert counter.text == "step 5 / 5" and grad_of("value-1").startswith("grad [[")
    assert "current" in browser.find_element(By.ID, "value-2").get_attribute("class")  # X @ W1, being undone
    screenshots = Path(os.environ.get("CHAINRULE_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(screenshots / "tensor_player.png"))
