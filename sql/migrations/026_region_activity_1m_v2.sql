-- Events and distinct users per region and event type per minute (UTC), for minute granularity and the live view:
-- a Roaring bitmap of dense user numbers (user_numbers_v1) per minute, region, country and type.
CREATE TABLE IF NOT EXISTS region_activity_1m_v2
(
    bucket  DateTime('UTC'),
    region  LowCardinality(String),
    country LowCardinality(String),
    type    Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
    events  SimpleAggregateFunction(sum, UInt64),
    users   AggregateFunction(groupBitmap, UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, country, region, type)
SETTINGS non_replicated_deduplication_window = 1000
