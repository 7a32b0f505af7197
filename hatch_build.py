"""Build hook: compile the message catalogues to .mo (scripts/catalogues.py), shipped in the wheel."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location(
            "catalogues", root / "scripts" / "catalogues.py"
        )
        catalogues = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogues)
        for mo in catalogues.compile_all(root):
            build_data["artifacts"].append(str(mo.relative_to(root)))  # gitignored, built here
