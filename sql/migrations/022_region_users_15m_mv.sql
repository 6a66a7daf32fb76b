-- Each event's user number is read by key from the dictionary, which the ingest fills before it inserts the events.
CREATE MATERIALIZED VIEW IF NOT EXISTS region_users_15m_mv_v1 TO region_users_15m_v1 AS
SELECT
    toStartOfFifteenMinutes(e.ts) AS bucket,
    e.region AS region,
    e.country AS country,
    count() AS events,
    countIf(e.type = 'view') AS views,
    countIf(e.type IN ('post', 'comment')) AS discussions,
    groupBitmapState(n.user_no) AS users
FROM events_v1 AS e
INNER JOIN user_numbers_v1 AS n ON e.user_id = n.user_id
GROUP BY bucket, region, country
SETTINGS join_algorithm = 'direct'
