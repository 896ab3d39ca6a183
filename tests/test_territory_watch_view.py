"""The Territory Watch view: the Airflow plugin on a real `make up` (127.0.0.1) over a seeded
store, in Debian's Chromium through Playwright; and `territory-watch report --out DIR`.

The page loads after logging in to Airflow (also inside the UI, from its navigation), draws the
chart, links each point to its source article, shows hostile article text as text, and refuses
requests without a valid Airflow token.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from airflow_make_up import HOST, MakeUp
from cli_runner import tw
from sqlalchemy import update
from store_builder import add_article

from alerting.evaluation import evaluate
from alerting.rules import load_rules
from parsers.figure import Period
from storage import Store
from storage.models import DeliveryRow
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.airflow_env import airflow, airflow_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--no-proxy-server"]
IS = "Islamic State"
HOSTILE_TITLE = "ISIS <script>window.__pwned = 1</script> loses <img src=x onerror=window.__pwned=2>"
HOSTILE_SENTENCE = ("ISIS lost 5,841 square kilometers during the last month "
                    "<b onmouseover=window.__pwned=3>bold</b> <!channel>")
STOCK = [("2017-08-01T09:00", 45000, "http://news.example.org/en/News/1/stock-august"),
         ("2017-09-10T09:00", 30000, "http://news.example.org/en/News/2/stock-september"),
         ("2017-10-13T09:00", 14800, "http://news.example.org/en/News/3/stock-october")]
LOSS_URL = "http://news.example.org/en/News/4/loss-october"


def seed(url: str, rules_path: Path) -> None:
    """Stock points of Islamic State in Syria, a hostile loss article, and its alert whose email
    was sent and whose Slack delivery failed for good."""
    store = Store(url)
    try:
        for when, value, link in STOCK:
            add_article(store, "alwaght", link, when, [(IS, "area_controlled", value)], "Syria",
                        title=f"ISIS holds {value:,} km2")
        add_article(store, "alwaght", LOSS_URL, "2017-10-13T10:00", [(IS, "area_lost", 5841)],
                    "Syria", period=Period("during the last month", "2017-09-13", "2017-10-13"),
                    sentence=HOSTILE_SENTENCE, title=HOSTILE_TITLE)
        assert len(evaluate(store, load_rules(rules_path)).created) == 1
        with store.session() as session:
            session.execute(update(DeliveryRow).where(DeliveryRow.channel == "email")
                            .values(state="sent"))
            session.execute(update(DeliveryRow).where(DeliveryRow.channel == "slack")
                            .values(state="undeliverable", last_error="Slack answered HTTP 404"))
    finally:
        store.close()


@dataclass
class ViewStack:
    airflow: MakeUp
    settings: Settings

    @property
    def view_url(self) -> str:
        return f"{self.airflow.base_url}/territory-watch/"


@pytest.fixture(scope="module")
def view_stack() -> Iterator[ViewStack]:
    """`make up` with no DAG (the view needs none) over a seeded SQLite store."""
    home = Path(tempfile.mkdtemp(prefix="tw-view-"))  # PostgreSQL may run as `postgres`
    home.chmod(0o755)
    try:
        no_dags = home / "no-dags"
        no_dags.mkdir()
        settings = Settings(home=home, db_url=f"sqlite:///{home / 'tw.db'}",
                            sources_path=BUNDLED / "sources.yaml",
                            rules_path=BUNDLED / "rules.yaml")
        seed(settings.db_url, settings.rules_path)
        env = {**os.environ, "TERRITORY_WATCH_DB": settings.db_url,
               "TERRITORY_WATCH_SOURCES": str(settings.sources_path),
               "TERRITORY_WATCH_RULES": str(settings.rules_path),
               "AIRFLOW__CORE__DAGS_FOLDER": str(no_dags)}
        with MakeUp(env, home) as airflow:
            yield ViewStack(airflow, settings)
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.airflow
@pytest.mark.timeout(600)
def test_the_view_refuses_requests_without_a_valid_airflow_token(view_stack: ViewStack) -> None:
    with httpx.Client(trust_env=False, timeout=30) as client:
        anonymous = client.get(view_stack.view_url)
        assert anonymous.status_code == 401 and "Log in to Airflow" in anonymous.text
        assert "Islamic State" not in anonymous.text
        forged = client.get(view_stack.view_url, headers={"Authorization": "Bearer abc.def.ghi"})
        assert forged.status_code == 403 and "Islamic State" not in forged.text
    with httpx.Client(trust_env=False, timeout=30, cookies={"_token": "not-a-jwt"}) as client:
        assert client.get(view_stack.view_url).status_code == 403
    with httpx.Client(trust_env=False, timeout=30) as client:
        allowed = client.get(view_stack.view_url,
                             headers={"Authorization": f"Bearer {view_stack.airflow.token()}"})
        assert allowed.status_code == 200 and "Islamic State" in allowed.text
        filtered = client.get(view_stack.view_url, params={"actor": "Daesh", "metric": "area_lost"},
                              headers={"Authorization": f"Bearer {view_stack.airflow.token()}"})
        assert filtered.status_code == 200
        assert "stock-august" not in filtered.text and "loss-october" in filtered.text


@pytest.mark.airflow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_the_view_in_chromium_after_login(view_stack: ViewStack, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/ensure_test_packages.sh installs it)")
    from playwright.sync_api import Route, expect, sync_playwright

    airflow = view_stack.airflow
    refused: list[str] = []
    dialogs: list[str] = []

    def local_only(route: Route) -> None:  # the browser talks to 127.0.0.1 and nothing else
        if urlsplit(route.request.url).hostname == HOST:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=60_000)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                          timezone_id="UTC", locale="en-US")
            context.set_default_timeout(60_000)
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

            page.goto(view_stack.view_url)  # before logging in: refused
            expect(page.get_by_text("Log in to Airflow")).to_be_visible()

            page.goto(f"{airflow.base_url}/auth/login")
            page.get_by_label("Username").fill(airflow.username)
            page.get_by_label("Password").fill(airflow.password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r".*/(\?.*)?$"))

            # inside the Airflow UI: the plugin's page in the UI's frame
            page.goto(f"{airflow.base_url}/plugin/territory-watch")
            framed = page.frame_locator("iframe")
            expect(framed.get_by_role("heading", name="Territory Watch", exact=True)).to_be_visible()
            expect(framed.locator("svg.chart circle").first).to_be_visible()
            page.screenshot(path=str(tmp_path / "territory-watch-in-airflow.png"), full_page=True)

            page.goto(view_stack.view_url)
            chart = page.locator("div.situation[data-kind=area] svg.chart").first
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 150
            points = chart.locator("a.point")
            assert points.count() == 3
            assert [points.nth(i).get_attribute("href") for i in range(3)] == [
                link for _, _, link in STOCK]
            ys = [float(points.nth(i).locator("circle").get_attribute("cy") or 0) for i in range(3)]
            assert ys[0] < ys[1] < ys[2]  # 45,000 > 30,000 > 14,800 km² held: drawn falling
            assert chart.locator("a.event").get_attribute("href") == LOSS_URL
            expect(page.locator("path.stock").first).to_have_attribute("d", re.compile(r"^M[\d.]+,"))

            alert_row = page.locator("tr.alert").first
            expect(alert_row.locator("[data-channel=email]")).to_have_text("email: sent")
            expect(alert_row.locator("[data-channel=slack]")).to_have_text("slack: undeliverable")

            # hostile article text is shown as text, never run or rendered as markup
            source_link = page.locator("table.figures td a").filter(
                has_text="<script>window.__pwned = 1</script>")
            expect(source_link).to_have_attribute("href", LOSS_URL)
            expect(page.locator("table.figures td").filter(
                has_text="<b onmouseover=window.__pwned=3>bold</b> <!channel>")).to_be_visible()
            assert page.locator("img").count() == 0 and page.locator("b").count() == 0
            assert page.evaluate("window.__pwned") is None and dialogs == []
            page.mouse.move(10, 10)

            shot = tmp_path / "territory-watch-view.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshots: {shot} and {tmp_path / 'territory-watch-in-airflow.png'}")
        finally:
            browser.close()
    assert refused == [], f"the page asked for other hosts: {refused}"


def test_report_writes_the_same_view_as_static_html(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'tw.db'}"
    seed(url, BUNDLED / "rules.yaml")
    monkeypatch.setenv("TERRITORY_WATCH_DB", url)
    monkeypatch.setenv("TERRITORY_WATCH_HOME", str(tmp_path))
    result = tw("report", "--out", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "report" / "index.html").read_text()
    for _, _, link in STOCK:
        assert f'<a class="point" href="{link}"' in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html and "<script>" not in html
    assert "email: sent" in html and "slack: undeliverable" in html
    assert "<form" not in html  # filters need the live view
    only_losses = tw("report", "--out", str(tmp_path / "losses"), "--metric", "area_lost")
    assert only_losses.returncode == 0, only_losses.stderr
    assert "stock-august" not in (tmp_path / "losses" / "index.html").read_text()


@pytest.mark.airflow
def test_airflow_of_make_up_finds_the_plugin(tmp_path: Path) -> None:
    """`make up` runs Airflow in this environment: its plugin list has the view and its link."""
    settings = Settings(home=tmp_path, db_url=f"sqlite:///{tmp_path / 'tw.db'}",
                        sources_path=BUNDLED / "sources.yaml", rules_path=BUNDLED / "rules.yaml")
    env = airflow_env(settings, {"AIRFLOW_HOME": str(tmp_path / "airflow")})
    listed = airflow("plugins", "--output", "json", env=env, capture_output=True, text=True,
                     timeout=300)
    assert listed.returncode == 0, listed.stderr[-3000:]
    (plugin,) = [p for p in json.loads(listed.stdout[listed.stdout.index("["):])
                 if p["name"] == "territory_watch"]
    assert "/territory-watch" in str(plugin["fastapi_apps"])
    assert "'url_route': 'territory-watch'" in str(plugin["external_views"])
    assert "airflow.plugins" in str(plugin["source"])
