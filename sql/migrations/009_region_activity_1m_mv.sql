CREATE MATERIALIZED VIEW IF NOT EXISTS region_activity_1m_mv_v1 TO region_activity_1m_v1 AS
SELECT
    toStartOfMinute(ts) AS bucket,
    region,
    country,
    type,
    count() AS events,
    uniqExactState(user_id) AS users
FROM events_v1
GROUP BY bucket, region, country, type
