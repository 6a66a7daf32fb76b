-- Events and distinct users per region per UTC hour, all event types together. The dashboards' unfiltered region
-- questions (the split by hour or day, the heatmap, the overview) read this instead of region_activity_15m_v1 when
-- the viewer's zone keeps whole-hour offsets over the range: one user state per region-hour to merge instead of
-- one per quarter and event type, so several times fewer hash-set entries. Created filled from the 15-minute
-- rollup; migrations run before the ingest starts, so nothing arrives between this and its view (017).
CREATE TABLE IF NOT EXISTS region_activity_1h_v1
(
    bucket      DateTime('UTC'),
    region      LowCardinality(String),
    country     LowCardinality(String),
    events      SimpleAggregateFunction(sum, UInt64),
    views       SimpleAggregateFunction(sum, UInt64),
    discussions SimpleAggregateFunction(sum, UInt64),
    users       AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, country, region)
SETTINGS non_replicated_deduplication_window = 1000
AS SELECT
    toStartOfHour(quarter.bucket) AS bucket,
    region,
    country,
    sum(quarter.events) AS events,
    sumIf(quarter.events, type = 'view') AS views,
    sumIf(quarter.events, type IN ('post', 'comment')) AS discussions,
    uniqExactMergeState(quarter.users) AS users
FROM region_activity_15m_v1 AS quarter
GROUP BY bucket, region, country
