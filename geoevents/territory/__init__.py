"""Territory control over time: dated control layers, change between dates, claim checks."""
