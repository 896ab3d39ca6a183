"""The store: migrations create exactly the models' schema, on a fresh file, idempotently."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage import Store
from storage.models import Base


def test_migrations_match_models(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a' / 'tw.db'}")
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert {"pages", "articles", "figures", "alerts", "deliveries"} <= set(
        inspect(store.engine).get_table_names())
    Store(store.url)  # migrating again is a no-op
