"""The browser side: the pinned vendor files (tools/fetch-vendor) and the static site (chainrule web)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import call, chromium, folder_handler, serving
from .conftest import require_program

REPO = Path(__file__).resolve().parent.parent


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _fetch(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "tools" / "fetch-vendor")], capture_output=True, text=True,
                          env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""}, timeout=60)


def test_fetch_vendor_checks_the_pinned_hash_unpacks_only_the_named_files_and_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "tools").mkdir(parents=True)
    (root / "autograd" / "show").mkdir(parents=True)
    shutil.copy(REPO / "tools" / "fetch-vendor", root / "tools")
    package = _tarball({"package/package.json": json.dumps({"license": "MIT", "repository": {
                            "url": "git+https://example.org/lib.git"}}).encode(),
                        "package/dist/lib.js": b"/*!\nLib 1.0\nCopyright (c) Someone\n*/\nlib();",
                        "package/dist/other.js": b"not wanted"})
    (tmp_path / "lib-1.0.tgz").write_bytes(package)
    pin = {"package": "lib", "version": "1.0", "url": (tmp_path / "lib-1.0.tgz").as_uri(),
           "sha512": base64.b64encode(hashlib.sha512(b"something else").digest()).decode(),
           "files": {"package/dist/lib.js": "lib.js"}}
    (root / "tools" / "vendor.json").write_text(json.dumps({"lib": pin}))
    refused = _fetch(root, tmp_path)
    assert refused.returncode == 1
    assert "vendor: error: lib 1.0: sha512 mismatch" in refused.stderr and "nothing was unpacked" in refused.stderr
    assert not (root / "autograd" / "show" / "vendor").exists()

    pin["sha512"] = base64.b64encode(hashlib.sha512(package).digest()).decode()
    (root / "tools" / "vendor.json").write_text(json.dumps({"lib": pin}))
    done = _fetch(root, tmp_path)
    assert done.returncode == 0, done.stderr
    unpacked = root / "autograd" / "show" / "vendor" / "lib"
    assert sorted(p.name for p in unpacked.iterdir()) == ["LICENSE.txt", "lib.js"]
    assert (unpacked / "lib.js").read_bytes() == b"/*!\nLib 1.0\nCopyright (c) Someone\n*/\nlib();"
    licence = (unpacked / "LICENSE.txt").read_text()
    assert "Licence: MIT" in licence and "Source: https://example.org/lib" in licence
    assert "Copyright (c) Someone" in licence
    again = _fetch(root, tmp_path)
    assert again.returncode == 0 and again.stdout == "vendor: up to date (lib 1.0)\n"


def test_the_pins_name_a_hash_for_every_download() -> None:
    pins = {k: v for k, v in json.loads((REPO / "tools" / "vendor.json").read_text()).items() if not k.startswith("_")}
    assert {pin["package"] for pin in pins.values()} == {"@viz-js/viz", "pyodide", "graphviz"}
    for pin in pins.values():
        assert pin["url"].startswith(("https://registry.npmjs.org/", "https://files.pythonhosted.org/"))
        assert len(pin.get("sha512", "")) == 88 or len(pin.get("sha256", "")) == 64


# ---- the site, in headless Chromium (one browser session and one site for the module) ----

EXPRESSIONS = [
    ("tanh(x*w + b)", {"x": 2, "w": -3, "b": 6.88}),
    ("x*x + 2*x", {"x": 3}),
    ("sigmoid(a*b) - relu(a - b)", {"a": 0.5, "b": -1.25}),
    ("log(x) / exp(y)", {"x": 2.5, "y": 0.1}),
    ("x**3 - 2**x", {"x": 1.5}),
    ("clamp(x, 0, 1) * maximum(x, y)", {"x": 0.3, "y": 0.7}),
    ("a % b + minimum(a, b)", {"a": 7.5, "b": 2}),
    ("sin(x)*cos(y) + sqrt(x)", {"x": 0.7, "y": -2}),
    ("softplus(x) + log1p(y) - atan(x*y)", {"x": 1e-3, "y": 3}),
    ("abs(u - v) / (u*u + v*v)", {"u": -1.5, "v": 4}),
    ("2.5", {}),
    ("-(p*q)**2 + leaky_relu(p, 0.1)", {"p": -0.25, "q": 8}),
]

HOSTILE = [
    ("log(x)", {"x": -1}),  # a domain error
    ("x / y", {"x": 1, "y": 0}),
    ("__import__('os').system('x')", {}),
    ("x.__class__", {"x": 1}),
    ("(" * 200 + "x" + ")" * 200, {"x": 1}),  # deeper than the parser's limit
    ("9**9**9", {}),  # an exponent that overflows
    ("x*" * 600 + "x", {"x": 1}),  # longer than the parser's limit
    ("<img src=x onerror=window.pwned=1>", {}),
    ("</script><script>window.pwned=2</script>", {}),
    ("x + y", {"x": 1}),  # a missing value
    ("x", {"x": "<b>2</b>"}),
    ("x", {"<b>x</b>": 2, "x": 1}),
    ("x", {"x": float("inf")}),
]


def cli_json(expression: str, values: dict) -> dict:
    """What the Python command line prints for ``chainrule explain EXPR NAME=VALUE... --json`` (or its error line)."""

    from autograd.cli import main

    printed, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        pairs = [f"{k}={'Infinity' if v == math.inf else v}" for k, v in values.items()]  # as JavaScript writes them
        status = main(["explain", "--json", "--", expression, *pairs])
    if status:
        return {"error": errors.getvalue().splitlines()[0].removeprefix("chainrule: ").removeprefix("error: ")}
    return json.loads(printed.getvalue())


class Served(str):
    """The base URL of a site served by a thread, and the paths it was asked for."""

    asked: list[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The site that ``chainrule web`` writes, served on 127.0.0.1 by a thread: its base URL."""
    from autograd.show.web import missing_vendor, write_site

    if missing_vendor():
        if os.environ.get("CI") == "true":
            pytest.fail("the vendor files are missing: make test runs make vendor first")
        pytest.skip("the vendor files are missing: run make vendor")
    folder = tmp_path_factory.mktemp("web")
    write_site(folder)
    asked: list[str] = []
    with serving(folder_handler(folder, asked)) as port:
        base = Served(f"http://127.0.0.1:{port}/")
        base.asked = asked
        yield base


class Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that lets nothing through and notes every request sent to it (any origin but the loopback's)."""

    seen: list[str] = []

    def refuse(self) -> None:
        Recorder.seen.append(self.requestline)
        self.send_error(403)

    do_GET = do_POST = do_HEAD = do_CONNECT = do_OPTIONS = refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page(site: Served) -> Iterator:
    """One headless Chromium with its network log, on the site, the engine loaded; every request to
    another origin (the page's or its worker's) goes to the Recorder proxy, which refuses it."""
    chromium_path = require_program("chromium", "apt-get install chromium chromium-driver")
    driver_path = require_program("chromedriver", "apt-get install chromium-driver")
    with serving(Recorder) as proxy:  # the loopback itself is never proxied
        driver = chromium(chromium_path, driver_path, "--window-size=1400,900", f"--proxy-server=http://127.0.0.1:{proxy}",
                          performance_log=True)
        driver.set_script_timeout(180)
        try:
            driver.get(site + "index.html")
            assert call(driver, "window.chainrule.ready.then(() => 'ready')") == "ready"
            yield driver
        finally:
            driver.quit()


def run_all(driver, cases: list[tuple[str, dict]]) -> list:
    return call(driver, f"(async cases => {{ const out = []; for (const [e, v] of cases) out.push(await window.chainrule.run(e, v));"
                        f" return out; }})({json.dumps(cases)})")


def ulps_apart(a: object, b: object) -> int:
    """The largest distance in units of the last place between the numbers of two equal-shaped JSON values;
    any other difference (a key, a text, a length, a type) is an AssertionError."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert sorted(a) == sorted(b)  # (WebDriver hands objects back with their keys sorted)
        return max((ulps_apart(a[k], b[k]) for k in a), default=0)
    if isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b)
        return max((ulps_apart(x, y) for x, y in zip(a, b)), default=0)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        a, b = float(a), float(b)
        return 0 if a == b else round(abs(a - b) / math.ulp(max(abs(a), abs(b))))
    assert a == b
    return 0


@pytest.mark.browser
def test_run_gives_what_the_cli_prints_as_json(page) -> None:
    """The same keys, texts and numbers; a transcendental function's last bit may differ (Pyodide's libm is
    not glibc's: tanh(0.88) is 0.7064193203972352 there, ...353 here), never more than two units."""
    results = run_all(page, EXPRESSIONS)
    apart = [ulps_apart(result, cli_json(expression, values)) for (expression, values), result in zip(EXPRESSIONS, results)]
    assert max(apart) <= 2, apart
    exact = [expression for (expression, _), ulps in zip(EXPRESSIONS, apart) if ulps == 0]
    assert {"x*x + 2*x", "x**3 - 2**x", "a % b + minimum(a, b)", "2.5"} <= set(exact)  # arithmetic: bit for bit
    assert len({json.dumps(r["gradients"]) for r in results}) == len(EXPRESSIONS)  # twelve different answers


@pytest.mark.browser
def test_bad_and_hostile_input_gives_the_cli_error_line_as_text(page) -> None:
    from selenium.webdriver.common.by import By

    results = run_all(page, HOSTILE)
    for (expression, values), result in zip(HOSTILE, results):
        assert list(result) == ["error"] and "\n" not in result["error"], expression
        assert result == cli_json(expression, values), expression
    odd = call(page, "Promise.all([window.chainrule.run(42, {}), window.chainrule.run('x', 'x=1'), window.chainrule.run('x', null)])")
    assert odd == [{"error": "the expression must be text, got number"},
                   {"error": "the values must be an object like {x: 2}, got string"},
                   {"error": "the values must be an object like {x: 2}, got null"}]
    shown = page.find_element(By.ID, "cr-error")
    assert shown.text == "the values must be an object like {x: 2}, got null"
    assert page.execute_script("return [window.pwned, document.querySelectorAll('#cr-error *, #cr-status *').length]") == [None, 0]


@pytest.mark.browser
def test_a_run_past_its_time_stops_the_engine_and_a_fresh_one_takes_the_next(page) -> None:
    stopped, after = call(page, "(async () => [await window.chainrule.run('x*2', {x: 1}, {seconds: 0.001}),"
                                "                await window.chainrule.run('x*3', {x: 1})])()")
    assert stopped == {"error": "the engine took longer than 0.001 s on this expression and was stopped; try a smaller one"}
    assert after["gradients"] == {"x": 3.0}


@pytest.mark.browser
def test_the_page_shows_the_steps_the_quiz_with_hints_the_math_and_the_code(page) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    call(page, "window.chainrule.run('x*x + 2*x', {x: 3})")
    assert page.find_element(By.ID, "cr-status").text == "f = x*x + 2*x = 15.0"
    assert page.execute_script("return [location.hash, document.getElementById('cr-values').value]") == [
        "#expr=x*x%20%2B%202*x&x=3", "x=3"]  # what ran is in the form and the address
    steps = page.find_element(By.ID, "cr-panel-steps")
    assert len(steps.find_elements(By.CSS_SELECTOR, "svg g.node")) >= 4  # x, 2*x, x*x, f: laid out in the page
    steps.find_element(By.ID, "next").click()
    assert steps.find_element(By.ID, "counter").text == "step 1 / 3"
    page.find_element(By.CSS_SELECTOR, "[data-tab=quiz]").click()
    quiz = page.find_element(By.ID, "cr-panel-quiz")
    answer = quiz.find_element(By.CSS_SELECTOR, "#quiz input")
    answer.send_keys("5", Keys.ENTER)  # df/d(2*x) is 1
    assert "not quite" in quiz.find_element(By.CSS_SELECTOR, "#quiz .hint").text
    answer.clear()
    answer.send_keys("1", Keys.ENTER)
    assert quiz.find_element(By.CSS_SELECTOR, "#quiz .score").text.startswith("score: 1 of 3")
    page.find_element(By.CSS_SELECTOR, "[data-tab=explain]").click()
    assert len(page.find_elements(By.CSS_SELECTOR, "#cr-backward math")) == 5  # one line per edge: x*x has two
    assert "df/dx\n8.0" in page.find_element(By.ID, "cr-gradients").text.replace(" ", "\n")
    page.find_element(By.CSS_SELECTOR, "[data-tab=python]").click()
    assert "def f_and_gradients(x):" in page.find_element(By.ID, "cr-python").text
    page.find_element(By.CSS_SELECTOR, "[data-tab=steps]").click()


@pytest.mark.browser
def test_the_fragment_opens_its_expression(page, site: Served) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page.get("about:blank")  # a fresh load, as from a shared link
    page.get(site + "index.html#expr=tanh(x*w%20%2B%20b)&x=2&w=-3&b=6.88")
    call(page, "window.chainrule.ready")
    WebDriverWait(page, 60).until(lambda d: d.find_element(By.ID, "cr-status").text.startswith("f = "))
    assert page.find_element(By.ID, "cr-status").text == "f = tanh(x*w + b) = 0.7064"
    assert page.find_element(By.ID, "cr-expr").get_attribute("value") == "tanh(x*w + b)"
    assert page.find_element(By.ID, "cr-values").get_attribute("value") == "x=2 w=-3 b=6.88"


@pytest.mark.browser
def test_the_page_requests_nothing_outside_its_own_origin(page, site: Served) -> None:
    requested = [json.loads(entry["message"])["message"] for entry in page.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in requested if m["method"] == "Network.requestWillBeSent"]
    assert site + "worker.js" in urls
    assert [url for url in urls if not url.startswith((site, "data:", "blob:"))] == []
    # The worker's requests are not in the page's log: the server saw them, and the proxy saw nothing at all.
    assert {"/vendor/pyodide/pyodide.asm.wasm", "/vendor/pyodide/python_stdlib.zip", "/chainrule.zip"} <= set(site.asked)
    foreign = [line for line in Recorder.seen if not BROWSER_OWN.search(line.split()[1])]
    assert foreign == [], foreign


BROWSER_OWN = re.compile(r"^(https?://)?[\w.-]*\b(google\.com|googleapis\.com|gvt1\.com)(:443)?(/|$)")  # Chromium's own services
