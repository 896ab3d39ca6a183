"""Human-readable summaries of crawl, extract, evaluation and delivery reports."""

from __future__ import annotations

from alerting.delivery import DeliveryReport
from alerting.evaluation import EvaluationReport
from crawlers.run import SourceReport
from territory_watch.pipeline.extract_step import ExtractReport


def crawl_summary(reports: list[SourceReport]) -> str:
    """One block per source with its counters and index errors."""
    lines = []
    for r in reports:
        c = r.counts
        status = "FAILED" if r.failed else "ok"
        lines.append(
            f"{r.source}: {status}: {c.get('articles_fetched', 0)} fetched, "
            f"{c.get('articles_not_modified', 0)} not modified, "
            f"{c.get('articles_known', 0)} already known, "
            f"{c.get('articles_outside_window', 0)} outside window, "
            f"{c.get('articles_failed', 0)} failed, {c.get('articles_refused', 0)} refused; "
            f"indexes {c.get('index_ok', 0)} ok / {c.get('index_failed', 0)} failed"
            + (f"; {c['links_offsite']} off-site links ignored" if c.get("links_offsite") else "")
            + (f"; {c.get('articles_deferred', 0)} articles and {c.get('index_deferred', 0)} "
               "indexes left for the next run (the site asked for a long pause)"
               if c.get("retry_after_backoffs") else ""))
        lines += [f"  index error: {e}" for e in r.index_errors]
        if r.failed:
            lines.append(f"  failed: {r.problem}")
    return "\n".join(lines)


def extract_summary(report: ExtractReport) -> str:
    """Pages parsed, figures found, pages missing parts."""
    text = (f"extract: {report.pages} pages parsed, {report.articles} articles, "
            f"{report.figures} figures")
    if report.duplicates:
        text += f" ({report.duplicates} articles are copies of stored ones)"
    if report.missing:
        text += "; missing " + ", ".join(f"{k} on {v} pages" for k, v in report.missing.items())
    return "\n".join([text, *(f"  unparseable: {u}" for u in report.unparseable),
                      *(f"  parser health: {h}" for h in report.health_alerts)])


def evaluation_summary(report: EvaluationReport) -> str:
    """Alerts created."""
    return (f"evaluate: {len(report.created)} new alerts, "
            f"{report.already_known} matches already alerted")


def delivery_summary(report: DeliveryReport) -> str:
    """Deliveries sent, failed (retried next run), given up, and held back."""
    held = report.held
    lines = [f"notify: {len(report.sent)} delivered in {report.messages} messages, "
             f"{len(report.failed)} failed (retried next run), "
             f"{len(report.undeliverable)} undeliverable; held: {len(held.silenced)} silenced, "
             f"{len(held.inhibited)} inhibited, {len(held.released)} released from ended silences"]
    lines += [f"  alert {a} -> {c}: {e}" for a, c, e in report.failed]
    lines += [f"  alert {a} -> {c} given up: {e}" for a, c, e in report.undeliverable]
    return "\n".join(lines)
