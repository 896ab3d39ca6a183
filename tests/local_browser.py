"""Debian's Chromium through Playwright, for the tests that drive the Airflow UI: it talks to
127.0.0.1 only (any other request is aborted, listed, and fails the test) and logs in to
Airflow as a user does. Never `playwright install`: the browser is the system package."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-proxy-server"]
HOST = "127.0.0.1"


def require_chromium() -> None:
    """Skip where Chromium is missing on a developer's machine; fail in CI, which installs it."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: run scripts/ensure_test_packages.sh first")
    pytest.skip(f"{CHROMIUM} is missing (Debian's chromium; scripts/ensure_test_packages.sh "
                "installs it)")


@contextmanager
def local_page(width: int = 1280, height: int = 1000) -> Iterator[Any]:
    """A fresh page of a headless Chromium (UTC, en-US, 60 s default timeout) that may only
    reach 127.0.0.1; after the block, asserts that it asked for no other host."""
    from playwright.sync_api import Route, sync_playwright

    require_chromium()
    refused: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == HOST:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=60_000)
        try:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          timezone_id="UTC", locale="en-US")
            context.set_default_timeout(60_000)
            context.route("**/*", local_only)
            yield context.new_page()
        finally:
            browser.close()
    assert refused == [], f"the page asked for other hosts: {refused}"


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Airflow's login form, filled in and sent; returns on the UI's home page."""
    page.goto(f"{base_url}/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(\?.*)?$"))
