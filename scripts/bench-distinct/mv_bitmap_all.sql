CREATE MATERIALIZED VIEW ra_bitmap_all_mv TO ra_bitmap_all AS
SELECT toStartOfFifteenMinutes(ts) AS bucket, region, country, count() AS events, groupBitmapState(user_no) AS users
FROM ev
GROUP BY bucket, region, country
