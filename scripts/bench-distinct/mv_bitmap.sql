CREATE MATERIALIZED VIEW ra_bitmap_mv TO ra_bitmap AS
SELECT toStartOfFifteenMinutes(ts) AS bucket, region, country, type, count() AS events, groupBitmapState(user_no) AS users
FROM ev
GROUP BY bucket, region, country, type
