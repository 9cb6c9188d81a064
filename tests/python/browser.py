"""Headless Chromium from Debian's packages, driven by Playwright, for the tests of pages the
project writes (the report, the docs site). Installed with apt when missing and running as root,
as the PostgreSQL server is (engines.py); otherwise the test fails and says what to install."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from .engines import install_debian_package

CHROMIUM_PACKAGE = "chromium"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str:
    """LABELING_ANALYTICS_CHROMIUM, else Debian's /usr/bin/chromium (installed when missing)."""
    configured = os.environ.get("LABELING_ANALYTICS_CHROMIUM")
    if configured:
        return configured
    if shutil.which("chromium") is None:
        install_debian_package(
            CHROMIUM_PACKAGE, "the browser tests need Debian's Chromium and `chromium` is not on PATH"
        )
    found = shutil.which("chromium")
    assert found, "apt-get install chromium did not put `chromium` on PATH"
    return found


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, and requests that left the machine
    (aborted, so a page that needs the network shows it)."""

    errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)


def watched_page(browser: Browser, width: int = 1400, height: int = 1000) -> tuple[Page, PageLog]:
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()

    def route(route: Route, request: Request) -> None:
        if request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            log.remote_requests.append(request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: log.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: log.errors.append(f"uncaught: {error}"))
    return page, log
