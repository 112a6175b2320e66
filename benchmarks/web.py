"""chainrule in the browser (chainrule web): how long a student waits, and how much the site weighs.

Builds the site, serves it on 127.0.0.1 from a thread and drives a headless Chromium:
1. navigation to ``window.chainrule.ready`` (the engine loaded): the first visit (empty cache) and
   three visits with the browser's cache warm (median); the issue's target is at most 5 s warm;
2. ``await window.chainrule.run(neuron)``, the neuron computed, laid out and drawn: median of 5
   (target: at most 0.5 s);
3. the site's total size and what the first visit downloads.
Prints a table; nothing is asserted. Run: make vendor, then .venv/bin/python benchmarks/web.py.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograd.show.web import VENDOR, VENDOR_FILES, missing_vendor, write_site  # noqa: E402
from tests.browser import call, chromium, folder_handler, serving  # noqa: E402

NEURON = ("tanh(x1*w1 + x2*w2 + b)", {"x1": 2, "x2": 0, "w1": -3, "w2": 1, "b": 6.8813735870195432})
WARM_VISITS = 3
RUNS = 5


def ready_seconds(driver, url: str) -> float:
    """Navigate to ``url`` and return the seconds from navigation start to the engine being ready."""
    driver.get("about:blank")
    driver.get(url)
    call(driver, "window.chainrule.ready")
    return driver.execute_script("return performance.getEntriesByName('chainrule-ready')[0].startTime") / 1000


def main() -> int:
    missing = missing_vendor()
    browser, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if missing or not browser or not driver_path:
        print(f"web benchmark: needs make vendor ({', '.join(missing) or 'done'}), chromium and chromedriver")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(folder)
        asked: list[str] = []
        with serving(folder_handler(folder, asked)) as port:
            driver = chromium(browser, driver_path, "--window-size=1920,1080")
            driver.set_script_timeout(300)
            try:
                url = f"http://127.0.0.1:{port}/index.html"
                first = ready_seconds(driver, url)
                warm = [ready_seconds(driver, url) for _ in range(WARM_VISITS)]
                phases = driver.execute_script("return window.chainrule.phases")
                expression, values = NEURON
                runs = call(driver, f"""(async () => {{ const times = [];
                    for (let i = 0; i < {RUNS}; i++) {{ const t = performance.now();
                      await window.chainrule.run({expression!r}, {values!r}); times.push(performance.now() - t); }}
                    return times; }})()""")
            finally:
                driver.quit()
    loaded = sum((VENDOR / name).stat().st_size for name in VENDOR_FILES)
    rows = [("navigation to ready, first visit", f"{first:.2f} s"),
            (f"navigation to ready, warm cache (median of {WARM_VISITS})", f"{statistics.median(warm):.2f} s  (target <= 5 s)"),
            (f"run() of the neuron, drawn (median of {RUNS})", f"{statistics.median(runs) / 1000:.3f} s  (target <= 0.5 s)"),
            ("  of which, in the worker (s from its start)", ", ".join(f"{k} {v:.2f}" for k, v in phases.items())),
            ("site size", f"{site.megabytes:.1f} MB"),
            ("downloaded by the first visit (vendor files)", f"{loaded / 1e6:.1f} MB + chainrule.zip")]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
