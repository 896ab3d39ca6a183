"""The house rules: dependencies flow one way, and the wheel ships no demo or test code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: lower layers never import higher ones; packages of one rank never import each other
LAYERS = {"parsers": 0, "storage": 1, "crawlers": 2, "alerting": 2, "territory_watch": 3,
          "dags": 4}
OUTSIDE_THE_PRODUCT = {"demo", "tests", "benchmarks"}


def imported_packages(path: Path) -> set[tuple[int, str]]:
    """(line, top-level package) of every import in a module, function-level ones included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name.split(".")[0]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.lineno, node.module.split(".")[0]))
    return found


def upward_imports() -> list[str]:
    problems = []
    for package, rank in LAYERS.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, target in imported_packages(path):
                where = f"{path.relative_to(ROOT)}:{line} imports {target}"
                if target in OUTSIDE_THE_PRODUCT:
                    problems.append(f"{where} (not part of the product)")
                elif target in LAYERS and target != package and LAYERS[target] >= rank:
                    problems.append(f"{where} (layer {LAYERS[target]} >= {rank})")
    return problems


def test_dependencies_flow_one_way() -> None:
    assert upward_imports() == []


def test_the_check_sees_a_function_level_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from territory_watch.config import settings\n")
    assert (2, "territory_watch") in imported_packages(module)


@pytest.mark.timeout(300)
def test_the_wheel_ships_no_demo_or_test_code(tmp_path: Path) -> None:
    source = tmp_path / "source"  # built from a copy: setuptools writes build/ beside it
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(tmp_path), str(source)], check=True)
    (wheel,) = tmp_path.glob("territory_watch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if "dist-info" not in name}
    assert {"territory_watch", "parsers", "storage", "crawlers", "alerting"} <= tops
    assert not tops & OUTSIDE_THE_PRODUCT, sorted(tops)
    assert not [n for n in names if "sinks" in n or "sample_site" in n or "/demo/" in n]
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist: aiosmtpd")]
    assert requires and all("extra ==" in line for line in requires), requires
