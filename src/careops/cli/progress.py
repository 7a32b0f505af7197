"""A progress bar on stderr, handed to services as a plain callback."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from careops.i18n import Text


@contextmanager
def progress_bar(label: Text) -> Iterator[Callable[[int, int], None]]:
    """Yields advance(done, total). Silent when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(str(label), total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
