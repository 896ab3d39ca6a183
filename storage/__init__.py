"""The store: SQLAlchemy models and the queries the pipeline needs (SQLite or PostgreSQL)."""

from storage.database import Store, open_store

__all__ = ["Store", "open_store"]
