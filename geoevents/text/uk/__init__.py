"""Ukrainian language data (rule tables read by geoevents.text modules).

uk2ru_*.tsv: rules that write a Ukrainian place name the Russian way
(geoevents.text.russian_forms); declension.tsv: case endings of Ukrainian
place names (geoevents.text.declension)."""
