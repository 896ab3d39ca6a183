"""Backfills on a real `make up` (127.0.0.1, the DAG unpaused and its scheduled runs going):
created through the REST API and through the UI's Trigger -> Backfill dialog with its default
settings (headless Chromium driven by Playwright). The alerts of exactly
the articles published in the backfilled window reach the real SMTP sink and the real Slack
webhook sink, once each; a repeated backfill over the same window sends nothing again.

Alerts are identified by content (email: the X-Territory-Watch-Alerts header; Slack: the block
naming the alert's subject and article URL), not by counting messages, so that a digest (several
alerts in one message) passes too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from airflow_make_up import DAG_ID, HOST, AirflowStack
from delivered_alerts import emailed_alert_ids, slack_sections, slack_sections_naming
from sqlalchemy import select

from storage import Store
from storage.models import AlertRow, DeliveryRow

pytestmark = [pytest.mark.airflow, pytest.mark.timeout(900)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-proxy-server"]

# [2017-10-13T00:00Z, 2017-10-14T00:00Z): four 6-hour runs (a backfill's range bounds the runs'
# logical dates, both ends included, so the last run starts at 18:00); only the run
# [06:00, 12:00) owns an article: the seed article 11402, published 2017-10-13T08:22Z
SEED_RANGE = ("2017-10-13T00:00:00Z", "2017-10-13T18:00:00Z")
SEED_WINDOW = (datetime(2017, 10, 13, tzinfo=UTC),
               datetime(2017, 10, 14, tzinfo=UTC))
# [2017-09-19T12:00Z, 2017-09-20T00:00Z): two runs; article 11197 (2017-09-19T15:15Z) in the first
UI_RANGE = (("2017/09/19", "12:00"), ("2017/09/19", "18:00"))
UI_WINDOW = (datetime(2017, 9, 19, 12, tzinfo=UTC),
             datetime(2017, 9, 20, tzinfo=UTC))


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Sent:
    """What the sinks held at one moment."""

    emails: int
    posts: int

    @classmethod
    def now(cls, stack: AirflowStack) -> Sent:
        return cls(len(stack.smtp.messages), len(stack.webhook.posts))


def stored_alerts(stack: AirflowStack) -> dict[int, dict[str, Any]]:
    """Every alert in the project store: id -> kind, subject, article URL/published, channels."""
    store = Store(stack.settings.db_url)
    try:
        with store.session() as session:
            alerts = {a.id: {"kind": a.kind, "subject": a.subject, "run_id": a.run_id,
                             "payload": a.payload or {}, "channels": {}}
                      for a in session.scalars(select(AlertRow))}
            for delivery in session.scalars(select(DeliveryRow)):
                alerts[delivery.alert_id]["channels"][delivery.channel] = delivery.state
    finally:
        store.close()
    for alert in alerts.values():
        figure = alert["payload"].get("figure") or {}
        alert["url"] = figure.get("url")
        alert["published"] = parse_time(figure["published"]) if figure.get("published") else None
    return alerts


def article_id(url: str | None) -> int | None:
    match = re.search(r"/News/(\d+)/", url or "")
    return int(match.group(1)) if match else None


def assert_window_alerted_once(stack: AirflowStack, window: tuple[datetime, datetime],
                               before_alerts: set[int], before: Sent) -> dict[int, dict[str, Any]]:
    """The alerts created since `before_alerts` are exactly those of the articles published in
    `window`, and each reached each of its channels exactly once since `before`."""
    start, end = window
    expected_articles = {a.id for a in stack.site.articles if start <= a.published < end}
    assert expected_articles, f"no sample article in {window}: the test's window is wrong"

    alerts = stored_alerts(stack)
    new = {i: a for i, a in alerts.items() if i not in before_alerts}
    unexpected = {i: a["subject"] for i, a in new.items() if a["kind"] != "figure"}
    assert not unexpected, f"alerts other than figure alerts were raised: {unexpected}"
    alerted_articles = {article_id(a["url"]) for a in new.values()}
    assert alerted_articles == expected_articles, (
        f"articles alerted {sorted(alerted_articles, key=str)} != articles published in the "
        f"window {sorted(expected_articles)}")
    for alert in new.values():
        assert start <= alert["published"] < end, alert
        assert alert["channels"] and set(alert["channels"].values()) == {"sent"}, alert

    # email: every alert with an email delivery named once across the new messages' headers
    emails = stack.smtp.messages[before.emails:]
    named = emailed_alert_ids(emails)
    want_email = {i for i, a in new.items() if "email" in a["channels"]}
    assert want_email, "no email alert in the window"
    assert dict(named) == {i: 1 for i in want_email}, (
        f"alert ids in X-Territory-Watch-Alerts of the new emails {dict(named)}, "
        f"expected each of {sorted(want_email)} once; subjects: {[m.subject for m in emails]}")
    for mail in emails:
        ids = [int(i) for i in str(mail.message["X-Territory-Watch-Alerts"]).split(",")]
        for alert_id in ids:
            assert new[alert_id]["url"] in mail.text, (alert_id, mail.text[:2000])

    # Slack: every alert with a slack delivery in exactly one block of the new posts
    posts = stack.webhook.posts[before.posts:]
    assert all(p.status == 200 for p in posts), [(p.status, p.text) for p in posts]
    blocks = slack_sections(posts)
    want_slack = {i for i, a in new.items() if "slack" in a["channels"]}
    assert want_slack, "no Slack alert in the window"
    for alert_id in want_slack:
        alert = new[alert_id]
        hits = slack_sections_naming(alert["subject"], alert["url"], blocks)
        assert len(hits) == 1, (f"alert {alert_id} ({alert['subject']}) in {len(hits)} Slack "
                                f"blocks, expected 1; posts: {[p.text for p in posts]}")
    assert len(blocks) == len(want_slack), (
        f"{len(blocks)} alert blocks posted to Slack for {len(want_slack)} alerts: {blocks}")
    return new


def assert_runs_succeeded(stack: AirflowStack, runs: list[dict[str, Any]],
                          windows: list[tuple[datetime, datetime]]) -> None:
    assert [(parse_time(r["data_interval_start"]), parse_time(r["data_interval_end"]))
            for r in runs] == windows
    assert all(r["state"] == "success" for r in runs), \
        stack.airflow.failure_report(DAG_ID, runs)


def most_crawls_at_once(airflow: Any, runs: list[dict[str, Any]]) -> int:
    """The most crawl task instances of `runs` that were running at the same moment."""
    spans = [(parse_time(ti["start_date"]), parse_time(ti["end_date"]))
             for run in runs for ti in airflow.task_instances(DAG_ID, run["dag_run_id"])
             if ti["task_id"] == "crawl"]
    assert len(spans) == len(runs) >= 3, spans  # enough crawls for the pool to matter
    # +1 at a start, -1 at an end; an end sorts before a start at the same instant
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def six_hour_windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    windows, step = [], timedelta(hours=6)
    while start < end:
        windows.append((start, start + step))
        start += step
    return windows


def test_api_backfill_alerts_the_window_once_and_a_repeat_sends_nothing(
        airflow_stack: AirflowStack) -> None:
    stack, airflow = airflow_stack, airflow_stack.airflow
    assert airflow.dry_run_backfill(DAG_ID, *SEED_RANGE) == [
        "2017-10-13T00:00:00Z", "2017-10-13T06:00:00Z", "2017-10-13T12:00:00Z",
        "2017-10-13T18:00:00Z"]
    before_alerts, before = set(stored_alerts(stack)), Sent.now(stack)

    backfill = airflow.create_backfill(DAG_ID, *SEED_RANGE, reprocess_behavior="none",
                                       max_active_runs=4)
    runs = airflow.wait_for_backfill(backfill, expected_runs=4, timeout=420)
    assert_runs_succeeded(stack, runs, six_hour_windows(*SEED_WINDOW))
    new = assert_window_alerted_once(stack, SEED_WINDOW, before_alerts, before)
    # among the backfill's runs only [06:00, 12:00) owns the article (run ids name the interval's
    # end); a scheduled run may also pick it up as a late arrival, still alerting only once
    owners = {a["run_id"] for a in new.values()}
    assert owners, "the new alerts name no run"
    strays = {o for o in owners if o != "backfill__2017-10-13T12:00:00+00:00"
              and not str(o).startswith("scheduled__")}
    assert not strays, owners
    # four runs at once, one crawl each: the pool (two slots, created with the metadata DB)
    # let at most two of them run at a time
    assert airflow.request("GET", "/pools/territory_watch_crawl")["slots"] == 2
    assert most_crawls_at_once(airflow, runs) <= 2

    # the same window again, every completed run re-run: nothing is sent twice
    after_first = Sent.now(stack)
    again = airflow.create_backfill(DAG_ID, *SEED_RANGE, reprocess_behavior="completed",
                                    max_active_runs=4)
    rerun = airflow.wait_for_backfill(again, expected_runs=4, timeout=420)
    assert_runs_succeeded(stack, rerun, six_hour_windows(*SEED_WINDOW))
    assert all(parse_time(r["end_date"]) > parse_time(again["created_at"]) for r in rerun), \
        "the repeated backfill did not re-run the completed runs"
    assert Sent.now(stack) == after_first, (
        f"the repeated backfill sent again: emails {[m.subject for m in stack.smtp.messages]}, "
        f"Slack {[p.text for p in stack.webhook.posts]}")
    assert set(stored_alerts(stack)) == before_alerts | set(new)


def run_backfill_in_the_dialog(airflow: Any, tmp_path: Path) -> None:
    """Log in, open Trigger -> Backfill on the DAG page, fill in the UI range and submit."""
    from playwright.sync_api import Route, expect, sync_playwright

    refused: list[str] = []

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
            context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                          timezone_id="UTC", locale="en-US")
            context.set_default_timeout(60_000)
            context.route("**/*", local_only)
            page = context.new_page()

            # log in through the login form
            page.goto(f"{airflow.base_url}/auth/login")
            page.get_by_label("Username").fill(airflow.username)
            page.get_by_label("Password").fill(airflow.password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r".*/(\?.*)?$"))

            # the DAG page: Trigger -> Backfill
            page.goto(f"{airflow.base_url}/dags/{DAG_ID}")
            page.get_by_role("button", name="Trigger Dag").click()
            dialog = page.get_by_role("dialog")
            dialog.get_by_text("Backfill", exact=True).click()
            expect(dialog.get_by_role("heading", name=re.compile("Run Backfill"))).to_be_visible()
            # the DAG is unpaused: the dialog offers no "Unpause ... on trigger" box
            expect(dialog.get_by_role("checkbox", name=re.compile(r"Unpause"))).to_have_count(0)

            # From / To: each a date-time picker (a popover with a Date and a Time field, UTC)
            for index, (day, hour) in enumerate(UI_RANGE):
                dialog.get_by_test_id("datetime-input").nth(index).click()
                picker = page.locator("[data-scope=popover][data-part=content]:visible").filter(
                    has=page.get_by_placeholder("YYYY/MM/DD"))
                expect(picker.get_by_text("UTC")).to_be_visible()
                picker.get_by_placeholder("YYYY/MM/DD").fill(day)
                picker.get_by_placeholder("HH:mm").fill(hour)
                page.keyboard.press("Escape")
                expect(picker).to_be_hidden()
            inputs = dialog.get_by_test_id("datetime-input")
            expect(inputs.nth(0)).to_have_text("Sep 19, 2017 12:00")
            expect(inputs.nth(1)).to_have_text("Sep 19, 2017 18:00")
            expect(dialog.get_by_text("2 runs will be triggered.")).to_be_visible()
            dialog.screenshot(path=str(tmp_path / "backfill-dialog.png"))

            submit = dialog.get_by_role("button", name="Run Backfill")
            expect(submit).to_be_enabled()
            with page.expect_response(lambda r: r.request.method == "POST"
                                      and urlsplit(r.url).path.endswith("/backfills")) as posted:
                submit.click()
            response = posted.value
            assert response.ok, f"{response.status}: {response.text()[:2000]}"
            page.screenshot(path=str(tmp_path / "after-submit.png"))
        finally:
            browser.close()
    assert not refused, refused


@pytest.mark.browser
def test_ui_backfill_dialog_alerts_its_window_once(airflow_stack: AirflowStack,
                                                   tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if not os.environ.get("CI"):
            pytest.skip(f"{CHROMIUM} is missing (Debian's chromium; scripts/ensure_test_packages.sh "
                        "installs it)")
        pytest.fail(f"{CHROMIUM} is missing in CI: run scripts/ensure_test_packages.sh first")
    stack, airflow = airflow_stack, airflow_stack.airflow
    before_alerts, before = set(stored_alerts(stack)), Sent.now(stack)
    known_backfills = {b["id"] for b in airflow.backfills(DAG_ID)}
    run_backfill_in_the_dialog(airflow, tmp_path)

    created = [b for b in airflow.backfills(DAG_ID) if b["id"] not in known_backfills]
    assert len(created) == 1, created
    backfill = created[0]
    assert (parse_time(backfill["from_date"]), parse_time(backfill["to_date"])) == (
        datetime(2017, 9, 19, 12, tzinfo=UTC),
        datetime(2017, 9, 19, 18, tzinfo=UTC))
    assert backfill["reprocess_behavior"] == "none" and not backfill["dag_run_conf"]

    runs = airflow.wait_for_backfill(backfill, expected_runs=2, timeout=420)
    assert_runs_succeeded(stack, runs, six_hour_windows(*UI_WINDOW))
    new = assert_window_alerted_once(stack, UI_WINDOW, before_alerts, before)
    assert {article_id(a["url"]) for a in new.values()} == {11197}
