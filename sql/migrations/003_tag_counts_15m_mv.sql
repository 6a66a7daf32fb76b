CREATE MATERIALIZED VIEW IF NOT EXISTS tag_counts_15m_mv_v1 TO tag_counts_15m_v1 AS
SELECT
    toStartOfFifteenMinutes(ts) AS bucket,
    hashtag,
    type,
    region,
    country,
    count() AS events
FROM events_v1
ARRAY JOIN hashtags AS hashtag
GROUP BY bucket, hashtag, type, region, country
