"""Headless Chromium on a static site served from a thread: for the web tests, the web benchmark and screenshots.

No pytest here (the benchmark imports it too); the tests skip through ``require_program`` first.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-client-side-phishing-detection",
         "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter")


def chromium(chromium_path: str, driver_path: str, *flags: str, performance_log: bool = False):
    """A headless Chromium driven by Selenium, with ``flags`` beside the usual ones (and its network log, if asked)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium_path
    for flag in FLAGS + flags:
        options.add_argument(flag)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


@contextlib.contextmanager
def serving(handler: Callable) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 in a thread while the block runs: its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def folder_handler(folder: str | os.PathLike, asked: list[str]) -> Callable:
    """A handler that serves the files in ``folder`` and notes each path asked for in ``asked``."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            asked.append(self.path)

    return functools.partial(Handler, directory=str(folder))


def call(driver, promise: str):
    """Await ``promise`` (JavaScript) in the page and return its value."""
    return driver.execute_async_script(
        f"const done = arguments[arguments.length - 1]; ({promise}).then(done, e => done('rejected: ' + e));")
