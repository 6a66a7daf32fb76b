-- Row count, distinct ids and the sums held by each rollup: what the exactness tests and benchmarks compare.
-- An aggregate without GROUP BY always returns one row, so no subquery is ever NULL.
-- params: none
-- row: events UInt64, distinct_ids UInt64, tag_mentions UInt64, tag_rollup_15m UInt64, tag_rollup_1m UInt64,
--      region_rollup_15m UInt64, region_types_15m UInt64, tag_totals_15m UInt64, region_rollup_1m UInt64
SELECT
    assumeNotNull((SELECT count() FROM events_v1)) AS events,
    assumeNotNull((SELECT uniqExact(id) FROM events_v1)) AS distinct_ids,
    assumeNotNull((SELECT sum(length(hashtags)) FROM events_v1)) AS tag_mentions,
    assumeNotNull((SELECT sum(events) FROM tag_counts_15m_v1)) AS tag_rollup_15m,
    assumeNotNull((SELECT sum(events) FROM tag_counts_1m_v1)) AS tag_rollup_1m,
    assumeNotNull((SELECT sum(events) FROM region_users_15m_v1)) AS region_rollup_15m,
    assumeNotNull((SELECT sum(events) FROM region_activity_15m_v2)) AS region_types_15m,
    assumeNotNull((SELECT sum(views + discussions) FROM tag_totals_15m_v1)) AS tag_totals_15m,
    assumeNotNull((SELECT sum(events) FROM region_activity_1m_v2)) AS region_rollup_1m
