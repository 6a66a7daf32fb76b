-- Views and discussions per hashtag per 15 minutes (UTC), all regions together. The dashboards' unfiltered tag
-- questions (top, trending, growth) read this instead of tag_counts_15m_v1, whose region and type dimensions make
-- it hundreds of times larger; ordered by bucket first, so a range reads only its own rows. Created filled from
-- tag_counts_15m_v1, so data stored before this table existed is in it; migrations run before the ingest starts,
-- so nothing arrives between this and the view that keeps it current (015).
CREATE TABLE IF NOT EXISTS tag_totals_15m_v1
(
    bucket      DateTime('UTC'),
    hashtag     String,
    views       UInt64,
    discussions UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, hashtag)
SETTINGS non_replicated_deduplication_window = 1000
AS SELECT
    bucket,
    hashtag,
    sumIf(events, type = 'view') AS views,
    sumIf(events, type IN ('post', 'comment')) AS discussions
FROM tag_counts_15m_v1
GROUP BY bucket, hashtag
