-- Dense user numbers in Roaring bitmaps, same dimensions as today.
CREATE TABLE ra_bitmap
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
