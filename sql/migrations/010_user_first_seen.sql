-- First event per user, for "new users" in a period.
CREATE TABLE IF NOT EXISTS user_first_seen_v1
(
    user_id  String,
    first_ts SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    region   SimpleAggregateFunction(any, LowCardinality(String)),
    country  SimpleAggregateFunction(any, LowCardinality(String))
)
ENGINE = AggregatingMergeTree
ORDER BY user_id
SETTINGS non_replicated_deduplication_window = 1000
