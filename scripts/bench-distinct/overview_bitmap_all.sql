-- Overview: distinct users of the current period and of the previous one.
SELECT
    if(bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
    groupBitmapMerge(users) AS active_users
FROM ra_bitmap_all
WHERE bucket >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC') AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
GROUP BY period
ORDER BY period
