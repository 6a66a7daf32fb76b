-- Events per hashtag per minute (UTC), for minute granularity and the live view.
CREATE TABLE IF NOT EXISTS tag_counts_1m_v1
(
    bucket  DateTime('UTC'),
    hashtag String,
    type    Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
    region  LowCardinality(String),
    country LowCardinality(String),
    events  UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(bucket)
ORDER BY (hashtag, bucket, type, region, country)
SETTINGS non_replicated_deduplication_window = 1000
