-- Heatmap: per local day and hour, distinct users of the chosen regions and of all regions.
SELECT
    toString(toDate(toTimeZone(bucket, {tz:String}))) AS day,
    toHour(toTimeZone(bucket, {tz:String})) AS hour,
    groupBitmapMergeIf(users, region IN {regions:Array(String)} OR country IN {regions:Array(String)}) AS value_users,
    groupBitmapMerge(users) AS total_users
FROM ra_bitmap
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC') AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
GROUP BY day, hour
ORDER BY day, hour
