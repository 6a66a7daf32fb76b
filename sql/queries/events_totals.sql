-- Row count, distinct ids and the sums held by each rollup: what the exactness tests and benchmarks compare.
-- params: none
SELECT
    (SELECT count() FROM events_v1) AS events,
    (SELECT uniqExact(id) FROM events_v1) AS distinct_ids,
    (SELECT sum(length(hashtags)) FROM events_v1) AS tag_mentions,
    (SELECT sum(events) FROM tag_counts_15m_v1) AS tag_rollup_15m,
    (SELECT sum(events) FROM tag_counts_1m_v1) AS tag_rollup_1m,
    (SELECT sum(events) FROM region_activity_15m_v1) AS region_rollup_15m,
    (SELECT sum(views + discussions) FROM tag_totals_15m_v1) AS tag_totals_15m,
    (SELECT sum(events) FROM region_activity_1m_v1) AS region_rollup_1m
