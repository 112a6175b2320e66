"""How fast chainrule answers: the CLI round trip against Python's own start-up, and what `import autograd` loads.

1. `chainrule explain "x*y" x=1 y=2`, median wall time of RUNS runs, against `python -c pass` measured
   in the same run (the issue's target: at most 3x).
2. `python -X importtime -c "import autograd"`: the total and the modules that take longest
   (cumulative microseconds, as Python reports them).

Run: python benchmarks/startup.py (make bench runs it after bench.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 21
TARGET = 3.0
TOP = 12


def _environment() -> dict[str, str]:
    """This checkout's packages first, whatever is installed; bytecode cached as an installed package has it
    (PYTHONDONTWRITEBYTECODE, set on some machines, would time compiling every module from source each run)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return environment | {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def _cli() -> list[str]:
    """The console script beside this Python, else the same entry point through -m."""
    script = Path(sys.executable).with_name("chainrule")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "autograd"]


def wall_time(argv: list[str], runs: int = RUNS) -> float:
    """The median wall time of running ``argv`` (interleaved with nothing else; one warm-up run first)."""
    env = _environment()
    subprocess.run(argv, env=env, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_times(module: str = "autograd") -> tuple[int, list[tuple[int, str]]]:
    """(total microseconds, [(cumulative microseconds, module), ...] longest first) from -X importtime."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], env=_environment(),
                          capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        rows.append((int(cumulative), name))
    total = next(us for us, name in rows if name == module)
    return total, sorted(rows, reverse=True)[:TOP]


def main() -> None:
    # interleave the two commands so that a busy machine slows both alike
    python, cli = [], []
    for _ in range(3):
        python.append(wall_time([sys.executable, "-c", "pass"], RUNS // 3))
        cli.append(wall_time([*_cli(), "explain", "x*y", "x=1", "y=2"], RUNS // 3))
    base, ours = statistics.median(python), statistics.median(cli)
    ratio = ours / base
    print(f'1. CLI round trip, median of {RUNS // 3 * 3} runs each')
    print(f"   python -c pass                        {base * 1000:7.1f} ms")
    print(f'   chainrule explain "x*y" x=1 y=2       {ours * 1000:7.1f} ms   {ratio:.1f}x   '
          f"target <= {TARGET:g}x   {'met' if ratio <= TARGET else 'MISSED'}")
    total, rows = import_times()
    print(f"\n2. python -X importtime -c 'import autograd': {total / 1000:.1f} ms; the longest (cumulative):")
    for us, name in rows:
        print(f"   {us / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
