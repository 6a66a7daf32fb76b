-- Events per hashtag per 15 minutes (UTC). Every IANA zone in use today has an offset that is a multiple of
-- 15 minutes, so hour and day buckets in any zone (Kolkata +5:30, Kathmandu +5:45 included) sum exactly from these.
CREATE TABLE IF NOT EXISTS tag_counts_15m_v1
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
