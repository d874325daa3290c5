"""Text -> place mentions, figures, claimants and dates -> draft events.

The entry point is :func:`geoevents.extract.pipeline.extract`; the other
modules each do one step so they can be tested and improved on their own.
"""
