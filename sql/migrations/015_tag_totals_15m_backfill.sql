-- Fills tag_totals_15m_v1 from the rollup it summarises, for data stored before it existed. Migrations run before
-- the ingest starts, so nothing is written between this and the view below.
INSERT INTO tag_totals_15m_v1
SELECT
    bucket,
    hashtag,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_15m_v1
GROUP BY bucket, hashtag
