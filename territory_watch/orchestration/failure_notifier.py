"""Airflow on-failure notifier: a failed task becomes an operator alert, delivered at once."""

from __future__ import annotations

import logging

from airflow.sdk import BaseNotifier, Context

log = logging.getLogger(__name__)


class OperatorAlertNotifier(BaseNotifier):
    """Store an operator alert for the failed task instance and deliver pending alerts."""

    template_fields = ()

    def notify(self, context: Context) -> None:
        from alerting.delivery import deliver_pending
        from alerting.operator import raise_operator_alert
        from alerting.rules import load_rules
        from storage import Store
        from territory_watch.config.settings import Settings

        ti = context["ti"]
        run_id = context.get("run_id") or getattr(ti, "run_id", "")
        exception = context.get("exception")
        settings = Settings.from_env()
        try:
            rules = load_rules(settings.rules_path)
            store = Store(settings.db_url)
            try:
                raise_operator_alert(
                    store, rules, kind="task_failed",
                    key=f"{ti.dag_id}|{run_id}|{ti.task_id}|{getattr(ti, 'map_index', -1)}",
                    subject=f"Airflow task {ti.dag_id}.{ti.task_id} failed",
                    details={"run_id": run_id, "task": ti.task_id,
                             "error": str(exception)[:500] if exception else "unknown"},
                    run_id=run_id)
                deliver_pending(store, rules, lease_timeout=settings.lease_timeout)
            finally:
                store.close()
        except Exception:  # a failing notifier must not hide the task's own failure
            log.exception("could not raise the operator alert for %s", ti.task_id)
