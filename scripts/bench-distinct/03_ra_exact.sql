-- Today's design: uniqExact hash sets of user ids per 15 minutes, region, country and type.
CREATE TABLE ra_exact
(
    bucket  DateTime('UTC'),
    region  LowCardinality(String),
    country LowCardinality(String),
    type    Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
    events  SimpleAggregateFunction(sum, UInt64),
    users   AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, country, region, type)
