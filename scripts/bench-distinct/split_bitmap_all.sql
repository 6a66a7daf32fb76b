-- Region split per local hour: events and distinct users per shown country, 'other', and each hour's total.
SELECT ts, key, grouping(key) AS is_total, sum(events) AS events, groupBitmapMerge(users) AS users
FROM
(
    SELECT (toUnixTimestamp(bucket) - modulo(toUnixTimestamp(bucket) + timeZoneOffset(toTimeZone(bucket, {tz:String})), 3600)) * 1000 AS ts, if(country IN {keys:Array(String)}, country, 'other') AS key, events, users FROM ra_bitmap_all
    WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC') 
)
GROUP BY GROUPING SETS ((ts, key), (ts))
ORDER BY ts, is_total, key
