"""Ukrainian word lists and tables for the extraction rules (read by geoevents.extract.slavic_data)."""
