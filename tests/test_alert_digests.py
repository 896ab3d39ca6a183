"""Digests as configured, and no alert lost in one.

Precedence: the run's `digest` Param when set; else on for a backfill; else the rule's `digest`;
else the rules file's. A Slack digest larger than Slack's limits is split into several posts that
the webhook receiver (which checks Slack's Block Kit limits) accepts, each recorded; an email
digest of any size is one message. Real SMTP server, real webhook receiver, real store; the last
test runs the real DAG through `airflow dags test`.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from cli_runner import SEED_WINDOW, tw
from sqlalchemy import func, select
from store_builder import add_article

from alerting.delivery import deliver_pending
from alerting.evaluation import evaluate
from alerting.rules import RulesFile, load_rules
from demo.run import connection_env, demo_sources
from demo.sinks import SmtpSink, WebhookSink
from demo.site import serve_sample_site
from storage import Store
from storage.models import AlertRow, DeliveryRow
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.airflow_env import airflow, airflow_env, prepare_metadata

IS = "Islamic State"
CHANNELS = ("channels:\n"
            "  email: {connection: territory_watch_email, to: [alerts@example.org]}\n"
            "  slack: {connection: territory_watch_slack}\n")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'tw.db'}")


def rules_file(tmp_path: Path, body: str) -> RulesFile:
    path = tmp_path / "rules.yaml"
    path.write_text(CHANNELS + body)
    return load_rules(path)


def digest_flags(store: Store) -> dict[str, bool]:
    with store.session() as session:
        return {a.rule: a.payload["digest"] for a in session.scalars(select(AlertRow))}


PRECEDENCE = [  # (rules file digest, run's Param, backfill) -> (rule with digest: true, rule without)
    (False, None, False, {"grouped": True, "plain": False}),
    (True, None, False, {"grouped": True, "plain": True}),
    (False, None, True, {"grouped": True, "plain": True}),
    (False, False, True, {"grouped": False, "plain": False}),
    (True, False, False, {"grouped": False, "plain": False}),
    (False, True, False, {"grouped": True, "plain": True}),
]


@pytest.mark.parametrize(("file_digest", "param", "backfill", "expected"), PRECEDENCE)
def test_digest_precedence(store: Store, tmp_path: Path, file_digest: bool, param: bool | None,
                           backfill: bool, expected: dict[str, bool]) -> None:
    rules = rules_file(tmp_path, f"digest: {str(file_digest).lower()}\nrules:\n"
                       "  - {name: grouped, metric: area_lost, above: 1000, digest: true,"
                       " channels: [slack]}\n"
                       "  - {name: plain, metric: settlements_lost, above: 50, channels: [slack]}\n")
    add_article(store, "a", "u1", "2017-10-13", [(IS, "area_lost", 5841),
                                                  (IS, "settlements_lost", 142)])
    evaluate(store, rules, run_id="run-1", digest=param, backfill=backfill)
    assert digest_flags(store) == expected


def generated_figures(store: Store, count: int) -> None:
    """`count` articles of 2017-10-20, each reporting a different loss over the last month."""
    start = datetime(2017, 10, 20, tzinfo=UTC)
    for i in range(count):
        when = (start + timedelta(minutes=5 * i)).isoformat()[:16]
        add_article(store, "alwaght", f"http://127.0.0.1/en/News/{5000 + i}/a", when,
                    [(IS, "area_lost", 1001 + 13 * i)], "Syria")


def test_a_200_alert_digest_arrives_whole_on_both_channels(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    rules = rules_file(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                                 " channels: [email, slack]}\n")
    generated_figures(store, 200)
    created = evaluate(store, rules, run_id="backfill__2017-10-20", backfill=True).created
    assert len(created) == 200
    report = deliver_pending(store, rules)
    assert len(report.sent) == 400 and report.failed == [] and report.undeliverable == []

    (mail,) = smtp.messages  # the email digest: one message, every alert in it
    assert mail.subject == "[territory-watch] 200 alerts"
    assert sorted(map(int, mail.message["X-Territory-Watch-Alerts"].split(","))) == created
    for i in range(200):
        assert f"Islamic State lost {1001 + 13 * i:,} km² in Syria" in mail.text

    posts = webhook.posts
    assert len(posts) > 4 and all(p.status == 200 and not p.problems for p in posts)
    carried = [int(n) for p in posts  # an alert's link appears twice (URL and label)
               for n in set(re.findall(r"/en/News/(\d+)/a", json.dumps(p.json)))]
    assert sorted(carried) == list(range(5000, 5200))  # each alert in exactly one post
    headers = [p.json["blocks"][0]["text"]["text"] for p in posts]
    assert headers[0] == f"200 territory-watch alerts (part 1 of {len(posts)})"
    with store.session() as session:
        labels = session.scalars(select(DeliveryRow.message).where(
            DeliveryRow.channel == "slack")).all()
        assert len(labels) == 200 and len(set(labels)) == len(posts)
        assert all(re.search(rf"message \d+ of {len(posts)}$", label or "") for label in labels)

    again = deliver_pending(store, rules)  # a repeated notify sends nothing
    assert again.sent == [] and len(smtp.messages) == 1 and len(webhook.posts) == len(posts)


def test_a_failed_slack_part_leaves_only_its_alerts_to_retry(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    _, webhook = channels
    rules = rules_file(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                                 " channels: [slack]}\n")
    generated_figures(store, 60)
    evaluate(store, rules, run_id="backfill__2017-10-20", backfill=True)
    webhook.fail_next(1, status=500, after=1)  # the first post is accepted, the second fails
    report = deliver_pending(store, rules)
    assert [p.status for p in webhook.posts] == [200, 500]
    in_first = sorted(int(n) for n in set(re.findall(r"/en/News/(\d+)/a",
                                                     json.dumps(webhook.posts[0].json))))
    assert len(report.sent) == len(in_first) and len(report.failed) == 60 - len(in_first)
    with store.session() as session:
        states = dict(session.execute(select(DeliveryRow.state, func.count())
                                      .group_by(DeliveryRow.state)).all())
    assert states == {"sent": len(in_first), "failed": 60 - len(in_first)}

    deliver_pending(store, rules)  # the next run sends the rest, and nothing twice
    retried = sorted(int(n) for p in webhook.posts[2:]
                     for n in set(re.findall(r"/en/News/(\d+)/a", json.dumps(p.json))))
    assert all(p.status == 200 for p in webhook.posts[2:])
    assert sorted(in_first + retried) == list(range(5000, 5060))


def test_a_slack_post_refused_on_its_own_does_not_hold_back_the_other_posts(
    store: Store, tmp_path: Path, channels: tuple[SmtpSink, WebhookSink]
) -> None:
    smtp, webhook = channels
    rules = rules_file(tmp_path, "rules:\n  - {name: big, metric: area_lost, above: 1000,"
                                 " channels: [slack]}\n")
    generated_figures(store, 60)
    evaluate(store, rules, run_id="backfill__2017-10-20", backfill=True)
    webhook.fail_next(1, status=400, after=1)  # Slack refuses the second post (bad request)
    report = deliver_pending(store, rules)
    statuses = [p.status for p in webhook.posts]
    assert statuses[:2] == [200, 400] and set(statuses[2:]) == {200} and len(statuses) >= 3
    refused = sorted(int(n) for n in set(re.findall(r"/en/News/(\d+)/a",
                                                    json.dumps(webhook.posts[1].json))))
    assert len(report.undeliverable) == len(refused)
    assert len([a for a, channel in report.sent if channel == "slack"]) == 60 - len(refused)
    with store.session() as session:
        states = dict(session.execute(select(DeliveryRow.state, func.count())
                                      .where(DeliveryRow.channel == "slack")
                                      .group_by(DeliveryRow.state)).all())
    assert states == {"sent": 60 - len(refused), "undeliverable": len(refused)}
    # the operator hears of it by email (operator channels default to every channel)
    assert [m.subject.strip() for m in smtp.messages] == [
        "[territory-watch] Alerts undeliverable on channel slack: slack http 400"]


def test_territory_watch_run_groups_its_own_run_when_the_rules_say(
    tw_settings: Settings, channels: tuple[SmtpSink, WebhookSink], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp, webhook = channels
    bundled = yaml.safe_load((BUNDLED / "rules.yaml").read_text())
    for rule in bundled["rules"]:
        rule["digest"] = True
    path = tmp_path / "digest-rules.yaml"
    path.write_text(yaml.safe_dump(bundled))
    monkeypatch.setenv("TERRITORY_WATCH_RULES", str(path))
    result = tw("run", *SEED_WINDOW)
    assert result.returncode == 0, result.stderr
    assert "3 new alerts" in result.stdout
    # two email alerts in one digest, three Slack alerts in one post
    assert [m.subject for m in smtp.messages] == ["[territory-watch] 2 alerts"]
    assert [p.json["blocks"][0]["text"]["text"] for p in webhook.delivered] == [
        "3 territory-watch alerts"]


GENERATED_DAY = "2017-10-20"
PARAGRAPH = ("Alwaght- The Syrian army said on Friday that ISIS lost {km:,} square kilometers of "
             "territory in Deir ez-Zor province during the last month, as troops advanced "
             "along the Euphrates.")


def generated_articles(count: int) -> list[dict[str, object]]:
    """`count` articles of one day on the sample site, each reporting a different loss."""
    start = datetime.fromisoformat(GENERATED_DAY).replace(tzinfo=UTC)
    return [{"id": 60000 + i, "slug": f"Army-Report-{i}", "title": f"Army report {i}",
             "published": (start + timedelta(minutes=5 * i)).isoformat(),
             "paragraphs": [PARAGRAPH.format(km=1001 + 13 * i)]} for i in range(count)]


@pytest.mark.airflow
@pytest.mark.timeout(900)
def test_dag_digest_of_200_alerts_arrives_whole_and_a_rerun_sends_nothing(
    tmp_path: Path, smtp_sink: SmtpSink, webhook_sink: WebhookSink
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with serve_sample_site(articles=generated_articles(200)) as site:
        sources = home / "sources.yaml"
        sources.write_text(yaml.safe_dump(demo_sources(site.base_url)))
        settings = Settings(home=home, db_url=f"sqlite:///{home / 'tw.db'}",
                            sources_path=sources, rules_path=BUNDLED / "rules.yaml")
        env = airflow_env(settings, {
            "AIRFLOW_HOME": str(tmp_path / "airflow"), "TERRITORY_WATCH_TASK_RETRIES": "0",
            "TERRITORY_WATCH_SCRAPY_SETTINGS": os.environ.get(
                "TERRITORY_WATCH_SCRAPY_SETTINGS", json.dumps(
                    {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})),
            **connection_env(smtp_sink, webhook_sink)})
        assert prepare_metadata(env).returncode == 0
        conf = json.dumps({"digest": True, "since": f"{GENERATED_DAY}T00:00:00+00:00",
                           "until": f"{GENERATED_DAY}T23:59:59+00:00"})
        log = tmp_path / "dag-test.log"
        with log.open("w") as out:
            first = airflow("dags", "test", "territory_watch", f"{GENERATED_DAY}T18:00:00+00:00",
                            "--conf", conf, env=env, stdout=out, stderr=out, timeout=600)
        assert first.returncode == 0, log.read_text()[-4000:]
        emails, posts = list(smtp_sink.messages), list(webhook_sink.posts)
        with log.open("a") as out:
            again = airflow("dags", "test", "territory_watch", f"{GENERATED_DAY}T18:00:00+00:00",
                            "--conf", conf, env=env, stdout=out, stderr=out, timeout=600)
        assert again.returncode == 0, log.read_text()[-4000:]

    (mail,) = emails
    assert mail.subject == "[territory-watch] 200 alerts"
    assert len(mail.message["X-Territory-Watch-Alerts"].split(",")) == 200
    assert all(p.status == 200 and not p.problems for p in posts)
    carried = {int(n) for p in posts for n in re.findall(r"/en/News/(\d+)/", json.dumps(p.json))}
    assert carried == set(range(60000, 60200))
    print(f"\nDAG digest of 200 alerts: 1 email with 200 alerts, {len(posts)} Slack posts "
          f"carrying {len(carried)} alerts")
    assert len(smtp_sink.messages) == 1 and len(webhook_sink.posts) == len(posts)  # re-run: none
