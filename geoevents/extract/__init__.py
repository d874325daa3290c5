"""Text -> place mentions, figures, claimants and dates -> draft events.

The entry point is :func:`geoevents.extract.pipeline.extract`; the other
modules each do one step so they can be tested and improved on their own.

`geoevents.extract` is both this subpackage and the public function of the
same name (the package's lazy API map points there). Once the subpackage is
imported, the attribute `geoevents.extract` is this module, so the module is
made callable and forwards to the function: `geoevents.extract(text,
published=...)` works whichever was loaded first.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from geoevents.extract.pipeline import extract

        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
