"""What every demo shares: its command line (--quick, --out) and saving a figure under out/."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: demos run on machines without a screen
import matplotlib.pyplot as plt

OUT = Path(__file__).resolve().parent.parent / "out"


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a smoke run with fewer steps")
    parser.add_argument("--out", type=Path, default=OUT, help="where the pictures go (default: out/)")
    return parser.parse_args()


def have_graphviz(what: str) -> bool:
    """Whether Graphviz's dot is installed; if not, say which picture is skipped and how to get it."""
    if shutil.which("dot"):
        return True
    print(f"skipped {what}: Graphviz's dot is not installed (apt-get install graphviz, or brew install graphviz)")
    return False


def save(figure: plt.Figure, out: Path, name: str) -> Path:
    """Save a figure as PNG under ``out``, whole or not at all, and close it."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    tmp = out / f".{name}.tmp.png"
    # for a projector: at least 1600 px on the long side once trimmed (2000 before: tight trims up to 18%)
    figure.savefig(tmp, dpi=max(110.0, 2000 / max(figure.get_size_inches())), bbox_inches="tight")
    os.replace(tmp, path)
    plt.close(figure)
    return path


def plot_curves(ax: plt.Axes, curves: dict[str, list[float]], xlabel: str, ylabel: str, title: str,
                log: bool = False) -> None:
    """One line per named curve against its 1-based step number."""
    for label, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if log:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
