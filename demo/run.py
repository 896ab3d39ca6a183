"""`make demo`: the real `territory_watch` DAG, run once through Airflow (`airflow dags test`),
against the bundled offline sample site, delivering to a local SMTP sink and Slack-webhook sink.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

from demo.sinks import SmtpSink, WebhookSink
from demo.site import serve_sample_site
from territory_watch.config.settings import BUNDLED, Settings
from territory_watch.orchestration.airflow_env import airflow, airflow_env, prepare_metadata

WINDOW = {"since": "2017-08-01T00:00:00+00:00", "until": "2017-12-01T00:00:00+00:00"}
LOGICAL_DATE = "2017-11-30T18:00:00+00:00"


def demo_sources(base_url: str) -> dict[str, object]:
    """The bundled Alwaght source, pointed at the local sample site."""
    source = yaml.safe_load((BUNDLED / "sources.yaml").read_text())["sources"][0]
    source.update(
        allowed_domains=["127.0.0.1"],
        feeds=[f"{base_url}/en/rss"],
        sitemaps=[f"{base_url}/sitemap.xml"],
        listings=[f"{base_url}/en/News"],
        allow_private_addresses=True,
    )
    return {"sources": [source]}


def connection_env(smtp: SmtpSink, webhook: WebhookSink) -> dict[str, str]:
    """The two Airflow connections of the rules file, as AIRFLOW_CONN_* variables (JSON: the
    extras stay booleans, which Airflow's secret masker does not warn about)."""
    return {
        "AIRFLOW_CONN_TERRITORY_WATCH_EMAIL": json.dumps(
            {"conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port,
             "extra": {"disable_ssl": True, "disable_tls": True,
                       "from_email": "territory-watch@localhost"}}),
        "AIRFLOW_CONN_TERRITORY_WATCH_SLACK": json.dumps(
            {"conn_type": "slackwebhook", "password": webhook.url}),
    }


def run_demo(home: Path) -> int:
    """Run the demo in `home` (wiped first so every demo starts fresh); returns an exit code."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    mail_dir, slack_log = home / "mail", home / "slack.jsonl"
    with serve_sample_site() as site, SmtpSink(folder=mail_dir) as smtp, \
            WebhookSink(file=slack_log) as webhook:
        sources_path = home / "sources.yaml"
        sources_path.write_text(yaml.safe_dump(demo_sources(site.base_url), sort_keys=False))
        settings = Settings(home=home, db_url=f"sqlite:///{home / 'territory-watch.db'}",
                            sources_path=sources_path, rules_path=BUNDLED / "rules.yaml")
        env = airflow_env(settings, {"TERRITORY_WATCH_TASK_RETRIES": "0",
                                     **connection_env(smtp, webhook)})
        print(f"sample site: {site.base_url}  SMTP sink: 127.0.0.1:{smtp.port}  "
              f"Slack sink: {webhook.url}")
        print("preparing the Airflow metadata database ...", flush=True)
        migrated = prepare_metadata(env)
        if migrated.returncode != 0:
            print(migrated.stdout[-3000:], migrated.stderr[-3000:], file=sys.stderr)
            return migrated.returncode
        print("running DAG territory_watch once (airflow dags test) ...", flush=True)
        log_path = home / "dag-test.log"
        with log_path.open("w") as log:
            result = airflow("dags", "test", "territory_watch", LOGICAL_DATE,
                             "--conf", json.dumps(WINDOW), env=env, stdout=log, stderr=log)
        emails, posts = list(smtp.messages), list(webhook.delivered)
    print_deliveries(emails, posts)
    print(f"\nWhere to look:\n  emails (.eml):     {mail_dir}\n  Slack posts:       {slack_log}"
          f"\n  store (SQLite):    {settings.db_url}\n  Airflow run log:   {log_path}"
          f"\n  Airflow task logs: {env['AIRFLOW_HOME']}/logs"
          f"\n  figures:           TERRITORY_WATCH_HOME={home} "
          f"{Path(sys.executable).parent}/territory-watch figures")
    if result.returncode != 0:
        print(f"\nthe DAG run failed (exit {result.returncode}); see {log_path}", file=sys.stderr)
        return result.returncode
    return 0 if emails and posts else 1


def print_deliveries(emails: list, posts: list) -> None:
    """What arrived at the sinks."""
    print(f"\n{len(emails)} email(s) delivered to the SMTP sink:")
    for message in emails:
        print(f"  To: {', '.join(message.rcpt_tos)}  Subject: {message.subject}")
    print(f"\n{len(posts)} Slack message(s) delivered to the webhook sink:")
    for post in posts:
        print(f"  {post.text}")


def main() -> int:
    """Entry point of `make demo`."""
    return run_demo(Settings.from_env().home / "demo")


if __name__ == "__main__":
    sys.exit(main())
