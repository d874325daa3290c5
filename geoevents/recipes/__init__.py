"""Build recipes for the data shipped in data/ (run by hand, never at import time).

Each recipe reads build-time inputs from registry packages (the `build-data`
extra) and writes its output deterministically, so the shipped files can be
rebuilt and reviewed.
"""
