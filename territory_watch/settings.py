"""Where things live: the SPEC's environment variables resolved to paths and URLs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BUNDLED = Path(__file__).parent / "bundled"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one process."""

    home: Path
    db_url: str
    sources_path: Path
    rules_path: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read `TERRITORY_WATCH_*` variables, falling back to the SPEC defaults."""
        env = os.environ if environ is None else environ
        home = Path(env.get("TERRITORY_WATCH_HOME") or "./var").resolve()
        db_url = env.get("TERRITORY_WATCH_DB") or f"sqlite:///{home / 'territory-watch.db'}"
        sources = Path(env.get("TERRITORY_WATCH_SOURCES") or BUNDLED / "sources.yaml")
        rules = Path(env.get("TERRITORY_WATCH_RULES") or BUNDLED / "rules.yaml")
        return cls(home=home, db_url=db_url, sources_path=sources, rules_path=rules)

    @property
    def reports_dir(self) -> Path:
        """Folder for run reports (created on demand)."""
        return self.home / "reports"
