"""How events look: one colour per kind, one stroke per status.

Kept in one place so the HTML map, its legend and the PNG agree.
"""

from __future__ import annotations

# Colour-blind-friendly palette (Okabe-Ito plus greys), one per event kind.
KIND_COLOURS: dict[str, str] = {
    "attack": "#D55E00",
    "advance": "#0072B2",
    "withdrawal": "#56B4E9",
    "control": "#CC79A7",
    "casualties": "#000000",
    "deployment": "#009E73",
    "statement": "#E69F00",
    "other": "#777777",
}
KIND_ORDER = list(KIND_COLOURS)
UNKNOWN_KIND_COLOUR = "#777777"

# Status -> (stroke dash pattern, fill opacity): confirmed is solid, claimed dashed.
STATUS_STYLES: dict[str, dict[str, object]] = {
    "confirmed": {"dashArray": None, "fillOpacity": 0.85},
    "reported": {"dashArray": None, "fillOpacity": 0.6},
    "claimed": {"dashArray": "3 3", "fillOpacity": 0.45},
    "disputed": {"dashArray": "1 3", "fillOpacity": 0.3},
}

# Kinds whose claims are about who holds ground: they shade the regions they name.
CONTROL_KINDS = ("advance", "withdrawal", "control")

REGION_STYLE = {"color": "#555555", "weight": 1.2, "fillColor": "#CC79A7", "hatch": "#7a3f6a"}
AREA_SYMBOL_STYLE = {"color": "#6A3D9A", "weight": 1.5, "dashArray": "6 4", "fillOpacity": 0.12}
CONTROL_STYLE = {"color": "#B2182B", "weight": 1, "fillColor": "#EF8A62", "fillOpacity": 0.35}
GAINED_STYLE = {"color": "#67001F", "weight": 1, "fillColor": "#D6604D", "fillOpacity": 0.7}
LOST_STYLE = {"color": "#053061", "weight": 1, "fillColor": "#4393C3", "fillOpacity": 0.7}


def kind_colour(kind: object) -> str:
    return KIND_COLOURS.get(str(kind), UNKNOWN_KIND_COLOUR)

# The offline basemap: sea behind, the countries of the events lighter than their
# neighbours, international borders clearly stronger than admin-1 lines.
BASEMAP_STYLE = {
    "sea": "#c6d9e4",
    "land": "#ebe7df",
    "focusLand": "#f8f6f1",
    "coast": "#8aa6b8",
    "admin1": "#b1a99c",
    "border": "#5b5347",
    "borderCasing": "#d9d1c3",
}
