"""Compile the message catalogues: src/careops/locale/*/LC_MESSAGES/*.po -> .mo (Babel).

Run by the build (hatch_build.py) and by `make` after a .po is edited. Fuzzy entries are left out
(they fall back to English). Babel's %-format check is not run: careops' messages are brace formats,
where `{at:%Y-%m-%d}` is a date pattern; tests/test_i18n.py checks their placeholders instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(root: Path) -> list[Path]:
    written = []
    for po in sorted((root / "src" / "careops" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        mo = po.with_suffix(".mo")
        partial = mo.with_name(
            f".{mo.name}.{os.getpid()}"
        )  # then renamed: a running careops never reads half a file
        with partial.open("wb") as f:
            write_mo(f, catalog)
        os.replace(partial, mo)
        written.append(mo)
    return written


if __name__ == "__main__":
    compile_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
