-- The raw events the region questions read, with each user's dense number beside their id.
CREATE TABLE ev
(
    id      String,
    type    Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
    ts      DateTime64(3, 'UTC'),
    user_id String,
    user_no UInt32,
    region  LowCardinality(String),
    country LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, id)
