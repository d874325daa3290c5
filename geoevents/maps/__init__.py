"""Maps: one self-contained HTML file (html.py) or a static PNG (png.py) from events."""
