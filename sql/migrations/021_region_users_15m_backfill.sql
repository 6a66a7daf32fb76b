-- Fills region_users_15m_v1 from the events stored before it existed (their users are numbered by then). Runs
-- before the view that feeds it exists and before the ingest starts, so no event is counted twice or missed.
INSERT INTO region_users_15m_v1
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
