-- Fed by each block the region_activity_15m_v1 view writes (already grouped), so it costs the ingest little.
CREATE MATERIALIZED VIEW IF NOT EXISTS region_activity_1h_mv_v1 TO region_activity_1h_v1 AS
SELECT
    toStartOfHour(quarter.bucket) AS bucket,
    region,
    country,
    sum(quarter.events) AS events,
    sumIf(quarter.events, type = 'view') AS views,
    sumIf(quarter.events, type IN ('post', 'comment')) AS discussions,
    uniqExactMergeState(quarter.users) AS users
FROM region_activity_15m_v1 AS quarter
GROUP BY bucket, region, country
