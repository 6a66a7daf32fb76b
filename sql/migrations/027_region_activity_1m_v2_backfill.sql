-- Fills region_activity_1m_v2 from the events stored before it existed, before its view exists and the ingest starts.
INSERT INTO region_activity_1m_v2
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
