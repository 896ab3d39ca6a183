"""The `territory_watch` DAG in-process: parsed from its file as the scheduler does, run with
`dag.test()`, and what Airflow recorded of a run (task states, Asset events)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DAGS = Path(__file__).resolve().parents[1] / "dags"
DAG_ID = "territory_watch"


def dagbag() -> Any:
    """The DAGs folder parsed now (the DAG file reads TERRITORY_WATCH_* at parse time)."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def load_dag() -> Any:
    """The `territory_watch` DAG, parsed with the environment as it is now."""
    bag = dagbag()
    assert bag.import_errors == {}, bag.import_errors
    return bag.dags[DAG_ID]


def task_states(run_id: str) -> dict[str, list[str]]:
    """task id -> the states of its task instances (several for a mapped task) in a run."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    states: dict[str, list[str]] = {}
    with create_session() as session:
        rows = session.execute(select(TaskInstance.task_id, TaskInstance.state)
                               .where(TaskInstance.dag_id == DAG_ID, TaskInstance.run_id == run_id)
                               .order_by(TaskInstance.task_id, TaskInstance.map_index)).all()
    for task_id, state in rows:
        states.setdefault(task_id, []).append(str(state))
    return states


def asset_events(run_id: str, asset: str = "territory_watch_figures") -> list[str]:
    """The tasks of a run that emitted an event of `asset`, one entry per event."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        return list(session.scalars(
            select(AssetEvent.source_task_id).join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetModel.name == asset, AssetEvent.source_dag_id == DAG_ID,
                   AssetEvent.source_run_id == run_id)))
