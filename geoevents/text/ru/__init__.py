"""Russian language data (rule tables read by geoevents.text modules).

declension.tsv: case endings of Russian place names (geoevents.text.declension)."""
