-- api_region_heatmap from the hourly rollup: for a zone whose offset stays a whole number of hours over the range,
-- with no event-type filter.
-- params: from Int64, to Int64 (epoch ms, whole UTC hours), tz String, regions Array(String) (empty: all),
--         metric String ('users' | 'events')
SELECT
    toString(toDate(toTimeZone(bucket, {tz:String}))) AS day,
    toHour(toTimeZone(bucket, {tz:String})) AS hour,
    min(toUnixTimestamp(bucket)) * 1000 AS ts,
    sumIf(events, empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)}) AS value_events,
    sum(events) AS total_events,
    uniqExactMergeIf(users, {metric:String} = 'users'
        AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})) AS value_users,
    uniqExactMergeIf(users, {metric:String} = 'users') AS total_users
FROM region_activity_1h_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY day, hour
ORDER BY day, hour
