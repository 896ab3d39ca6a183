"""Running the `territory-watch` console script as users do (a separate process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "territory-watch"
#: the CLI's window holding the seed article (published 2017-10-13T08:22Z) and nothing else
SEED_WINDOW = ("--since", "2017-10-13", "--until", "2017-10-14")


def tw(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
       timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the CLI with the current environment plus `env`; bounded in time."""
    return subprocess.run([str(SCRIPT), *args], env={**os.environ, **(env or {})},
                          input=stdin, capture_output=True, text=True, timeout=timeout)
