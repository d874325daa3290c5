"""Event input and output: GeoJSON (RFC 7946), CSV (incl. ACLED-style), GeoPackage, KML.

Every write is atomic (geoevents.io.atomic); readers return a RawTable that
geoevents.events.normalize turns into the event GeoDataFrame.
"""
