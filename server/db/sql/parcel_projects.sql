-- Projects on a parcel.
SELECT id, name, stage, total_investment_wan FROM projects WHERE parcel_id = $1 ORDER BY id;
