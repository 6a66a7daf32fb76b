CREATE MATERIALIZED VIEW IF NOT EXISTS region_activity_1m_mv_v2 TO region_activity_1m_v2 AS
SELECT
    toStartOfMinute(e.ts) AS bucket,
    e.region AS region,
    e.country AS country,
    e.type AS type,
    count() AS events,
    groupBitmapState(n.user_no) AS users
FROM events_v1 AS e
INNER JOIN user_numbers_v1 AS n ON e.user_id = n.user_id
GROUP BY bucket, region, country, type
SETTINGS join_algorithm = 'direct'
