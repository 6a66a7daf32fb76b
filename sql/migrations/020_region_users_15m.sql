-- Events and distinct users per region per 15 minutes (UTC) over all event types: one Roaring bitmap of dense user
-- numbers (user_numbers_v1) per bucket, region and country. Bitmaps merge exactly and far faster than hash sets of
-- ids, so active users per hour or day in any zone are exact distinct counts. Views and discussions are kept beside
-- the total so the overview reads this table alone.
CREATE TABLE IF NOT EXISTS region_users_15m_v1
(
    bucket      DateTime('UTC'),
    region      LowCardinality(String),
    country     LowCardinality(String),
    events      SimpleAggregateFunction(sum, UInt64),
    views       SimpleAggregateFunction(sum, UInt64),
    discussions SimpleAggregateFunction(sum, UInt64),
    users       AggregateFunction(groupBitmap, UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, country, region)
SETTINGS non_replicated_deduplication_window = 1000
