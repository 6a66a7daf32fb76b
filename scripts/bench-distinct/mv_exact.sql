CREATE MATERIALIZED VIEW ra_exact_mv TO ra_exact AS
SELECT toStartOfFifteenMinutes(ts) AS bucket, region, country, type, count() AS events, uniqExactState(user_id) AS users
FROM ev
GROUP BY bucket, region, country, type
