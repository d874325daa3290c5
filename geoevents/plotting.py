"""Matplotlib settings shared by every figure geoevents draws (PNG maps, timeline charts).

Why: text from input (titles, controller names, sources, legend entries) goes
into matplotlib, which reads `$...$` as mathtext (a lone `$` is an error) and
hands text to LaTeX when a user's matplotlibrc sets text.usetex. Text objects
take both settings when they are created, so a figure built inside
literal_text() draws and saves every string as written.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

#: rcParams under which every Text is drawn literally
LITERAL_TEXT: dict[str, Any] = {"text.parse_math": False, "text.usetex": False}


def literal_text() -> AbstractContextManager[Any]:
    """An rc_context in which new Text objects are drawn literally (no mathtext, no LaTeX)."""
    import matplotlib

    return matplotlib.rc_context(LITERAL_TEXT)
