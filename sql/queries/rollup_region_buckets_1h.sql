-- rollup_region_buckets from the hourly rollup, for zones and ranges where each local hour is one UTC hour; views
-- and discussions too, which this rollup keeps per hour instead of per event type.
-- params: from Int64 (epoch ms, whole UTC hour), to Int64 (epoch ms, whole UTC hour), tz String, step String ('hour' | 'day')
SELECT
    toUnixTimestamp(if({step:String} = 'day', toStartOfDay(bucket, {tz:String}), bucket)) * 1000 AS t,
    country,
    sum(events) AS events,
    sum(views) AS views,
    sum(discussions) AS discussions,
    uniqExactMerge(users) AS users
FROM region_activity_1h_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY t, country
ORDER BY t, country
