"""The steps of one cycle (crawl, extract, evaluate, notify) as plain functions over Settings.

The CLI and the Airflow DAG both call these; the DAG runs the crawl step in a subprocess.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from alerting.delivery import DeliveryReport, deliver_pending
from alerting.evaluation import EvaluationReport, evaluate
from alerting.rules import load_rules
from crawlers.run import SourceReport
from crawlers.sources import load_sources
from storage import Store
from storage.pages import now
from territory_watch.config.settings import Settings
from territory_watch.pipeline.extract_step import ExtractReport, extract_pages
from territory_watch.pipeline.health import check_parser_health, check_sources


@dataclass
class CycleReport:
    """Everything one cycle did."""

    crawl: list[SourceReport] = field(default_factory=list)
    extract: ExtractReport | None = None
    evaluation: EvaluationReport | None = None
    delivery: DeliveryReport | None = None


def crawl_step(settings: Settings, *, sources: list[str] | None = None,
               since: datetime | None = None, until: datetime | None = None) -> list[SourceReport]:
    """Discover and fetch (in this process: starts the Twisted reactor once)."""
    from crawlers.run import run_crawl

    chosen = load_sources(settings.sources_path, sources)
    store = Store(settings.db_url)
    try:
        return run_crawl(store, chosen, since=since, until=until,
                         settings_overrides=settings.scrapy_overrides)
    finally:
        store.close()


def extract_step(settings: Settings, *, sources: list[str] | None = None,
                 reparse: bool = False) -> ExtractReport:
    """Parse archived pages into articles and figures; alert when a source's parser broke."""
    chosen = load_sources(settings.sources_path, sources)
    store = Store(settings.db_url)
    try:
        report = extract_pages(store, chosen, reparse=reparse)
        check_parser_health(store, settings.rules_path, report)
        return report
    finally:
        store.close()


def evaluate_step(settings: Settings, *, since: datetime | None = None,
                  until: datetime | None = None, sources: list[str] | None = None,
                  run_id: str | None = None, digest: bool | None = None,
                  parsed_since: datetime | None = None, backfill: bool = False) -> EvaluationReport:
    """Store alerts for the figures of articles published in `[since, until)`, then the
    operator alerts of the sources' health checks. `digest` is the run's own choice (None:
    the rules decide, or a backfill's default)."""
    rules = load_rules(settings.rules_path)
    names = sources or [s.name for s in load_sources(settings.sources_path)]
    store = Store(settings.db_url)
    try:
        report = evaluate(store, rules, since=since, until=until, sources=sources,
                          run_id=run_id, digest=digest, parsed_since=parsed_since,
                          backfill=backfill)
        report.created += check_sources(store, rules, names, run_id=run_id)
        return report
    finally:
        store.close()


def notify_step(settings: Settings) -> DeliveryReport:
    """Deliver every alert not delivered yet."""
    rules = load_rules(settings.rules_path)
    store = Store(settings.db_url)
    try:
        return deliver_pending(store, rules, lease_timeout=settings.lease_timeout)
    finally:
        store.close()


def cli_run_id() -> str:
    """A run id for one `territory-watch run`, like Airflow's ("cli__2026-11-26T15:30:00+00:00_ab12")."""
    return f"cli__{now().isoformat(timespec='seconds')}_{uuid.uuid4().hex[:8]}"


def run_cycle(settings: Settings, *, sources: list[str] | None = None,
              since: datetime | None = None, until: datetime | None = None,
              notify: bool = True) -> CycleReport:
    """One full cycle without Airflow; its alerts form one run (a digest when the rules say)."""
    load_rules(settings.rules_path)  # fail on a bad rules file before crawling
    report = CycleReport()
    report.crawl = crawl_step(settings, sources=sources, since=since, until=until)
    report.extract = extract_step(settings, sources=sources)
    report.evaluation = evaluate_step(settings, since=since, until=until, sources=sources,
                                      run_id=cli_run_id())
    if notify:
        report.delivery = notify_step(settings)
    return report
