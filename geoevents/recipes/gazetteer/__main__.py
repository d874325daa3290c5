"""Entry point: python -m geoevents.recipes.gazetteer (see the package docstring)."""

import sys

from geoevents.recipes.gazetteer.build import main

sys.exit(main())
