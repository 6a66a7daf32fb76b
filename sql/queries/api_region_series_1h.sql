-- api_region_series_15m from the hourly rollup: for hour or day steps in a zone whose offset stays a whole number
-- of hours over the range, with no event-type filter (each local hour is then one UTC hour).
-- params: from Int64, to Int64 (epoch ms, whole UTC hours), tz String, step String ('hour' | 'day'),
--         regions Array(String), level String ('country' | 'province'), keys Array(String), metric String
SELECT
    ts,
    key,
    grouping(key) AS is_total,
    sum(events) AS events,
    uniqExactMergeIf(users, {metric:String} = 'users') AS users
FROM
(
    SELECT
        if({step:String} = 'day', toUnixTimestamp(toStartOfDay(bucket, {tz:String})), toUnixTimestamp(bucket)) * 1000 AS ts,
        if(if({level:String} = 'province' AND country = 'CN', region, country) AS region_key IN {keys:Array(String)},
            region_key, 'other') AS key,
        events,
        users
    FROM region_activity_1h_v1
    WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})
)
GROUP BY GROUPING SETS ((ts, key), (ts))
ORDER BY ts, is_total, key
