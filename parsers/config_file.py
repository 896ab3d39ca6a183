"""Reading a YAML config file into a pydantic model, with errors that name the file and key.

`ConfigError` is the error a user can act on; the command line reports it without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    """A configuration file or variable is missing or invalid; the message says where and why."""


M = TypeVar("M", bound=BaseModel)


def load_model(path: Path, model: type[M]) -> M:
    """Parse `path` as YAML and validate it as `model`, raising ConfigError on any problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            names = named_items(data, err["loc"])
            if names:
                where += f" ({' › '.join(names)})"
            lines.append(f"  {where}: {err['msg']}")
        raise ConfigError(f"{path}: invalid configuration:\n" + "\n".join(lines)) from None


def named_items(data: Any, location: Sequence[int | str]) -> list[str]:
    """The `name`s of the list items along `location` in `data` (e.g. the source and the
    selector set an error is in), so an error says which item, not only its position."""
    names = []
    for key in location:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
            if isinstance(data, dict) and isinstance(data.get("name"), str):
                names.append(data["name"])
        else:
            break
    return names
