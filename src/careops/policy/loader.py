"""Load and validate a policy file; the built-in one ships beside this module."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from careops.errors import PolicyError
from careops.policy.models import Policy

BUILTIN = Path(__file__).with_name("builtin.toml")

# What this module says to people (one place, ready for translation).
NO_FILE = "policy file {path} does not exist."
NOT_TOML = "policy file {path} is not valid TOML: {error}."
NOT_VALID = "policy file {path} is not valid: {where} {problem}."


def load_policy(path: Path | None = None) -> Policy:
    """The policy in force: `path`, else `CAREOPS_POLICY`, else the built-in one."""
    chosen = path or (Path(os.environ["CAREOPS_POLICY"]) if os.environ.get("CAREOPS_POLICY") else BUILTIN)
    return _load(chosen.resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> Policy:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PolicyError(NO_FILE.format(path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(NOT_TOML.format(path=path, error=exc)) from None
    try:
        return Policy.model_validate(data)
    except (ValidationError, ValueError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
        where = ".".join(str(p) for p in first["loc"])
        raise PolicyError(NOT_VALID.format(path=path, where=where, problem=first["msg"]).replace("  ", " ")) from None
