"""Places: the offline GeoNames gazetteer, its admin-1 table, and geocoders."""
