-- Standard factory buildings on a parcel.
SELECT id, name, floors, floor_area_m2, leased_area_m2, footprint_m2 FROM factory_buildings WHERE parcel_id = $1 ORDER BY id;
