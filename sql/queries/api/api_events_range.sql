-- The time span of the stored events and their number, for the dashboard's default range.
-- params: none
-- row: events UInt64, first_ts Int64, last_ts Int64
SELECT
    count() AS events,
    toUnixTimestamp64Milli(min(ts)) AS first_ts,
    toUnixTimestamp64Milli(max(ts)) AS last_ts
FROM events_v1
