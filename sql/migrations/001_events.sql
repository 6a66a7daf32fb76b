-- Raw events: one row per accepted event, times in UTC. Dashboards read the rollups, not this table.
-- The dedup window lets a retried insert with the same insert_deduplication_token store nothing twice.
CREATE TABLE IF NOT EXISTS events_v1
(
    id          String,
    type        Enum8('view' = 1, 'post' = 2, 'comment' = 3, 'ip_region' = 4),
    ts          DateTime64(3, 'UTC'),
    user_id     String,
    note_id     String,
    hashtags    Array(String),
    region      LowCardinality(String),
    country     LowCardinality(String),
    lang        LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, id)
SETTINGS non_replicated_deduplication_window = 1000
