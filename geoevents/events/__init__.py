"""Events and claims: the data model, event files, date resolution and validation.

Submodules are imported on demand so that the command line stays quick to start.
"""
