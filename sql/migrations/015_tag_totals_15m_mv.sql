-- Fed by each block the tag_counts_15m_v1 view writes (already grouped), so it costs the ingest little.
CREATE MATERIALIZED VIEW IF NOT EXISTS tag_totals_15m_mv_v1 TO tag_totals_15m_v1 AS
SELECT
    bucket,
    hashtag,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_15m_v1
GROUP BY bucket, hashtag
