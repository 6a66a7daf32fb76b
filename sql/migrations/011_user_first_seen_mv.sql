CREATE MATERIALIZED VIEW IF NOT EXISTS user_first_seen_mv_v1 TO user_first_seen_v1 AS
SELECT
    user_id,
    min(ts) AS first_ts,
    any(region) AS region,
    any(country) AS country
FROM events_v1
GROUP BY user_id
