"""The progress bar of a long command (an import): drawn on a terminal's stderr, silent elsewhere."""

from __future__ import annotations

import io
import sys

from careops.cli.progress import progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_bar_advance_and_then_cleared(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)

    with progress_bar("Importing rows") as advance:
        advance(150, 300)

    drawn = screen.getvalue()
    assert "Importing rows" in drawn
    assert "50%" in drawn
    assert "\x1b[?25h" in drawn  # the cursor given back
    assert drawn.endswith("\x1b[1A\x1b[2K")  # and the bar's line erased: nothing left behind


def test_a_file_or_pipe_gets_no_bar(monkeypatch):
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)

    with progress_bar("Importing rows") as advance:
        advance(150, 300)

    assert pipe.getvalue() == ""
