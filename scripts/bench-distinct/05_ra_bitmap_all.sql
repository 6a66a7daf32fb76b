-- Dense user numbers in Roaring bitmaps, one state per 15 minutes and region for all event types together.
CREATE TABLE ra_bitmap_all
(
    bucket  DateTime('UTC'),
    region  LowCardinality(String),
    country LowCardinality(String),
    events  SimpleAggregateFunction(sum, UInt64),
    users   AggregateFunction(groupBitmap, UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, country, region)
