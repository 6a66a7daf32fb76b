-- Events and active users per minute per region key, from the 1-minute rollup, plus each minute's total (the row
-- whose is_total is 1). Keys outside the given top list are folded into 'other', so 'other' users are exact.
-- params: from Int64, to Int64 (epoch ms, whole minutes), regions Array(String), types Array(String) (empty: all),
--         level String ('country' | 'province'), keys Array(String) (the regions shown), metric String ('users' | 'events')
-- row: ts UInt64, key String, is_total UInt64, events UInt64, users UInt32
SELECT
    ts,
    key,
    grouping(key) AS is_total,
    sum(events) AS events,
    groupBitmapMergeIf(users, {metric:String} = 'users') AS users
FROM
(
    SELECT
        toUnixTimestamp(bucket) * 1000 AS ts,
        if(if({level:String} = 'province' AND country = 'CN', region, country) AS region_key IN {keys:Array(String)},
            region_key, 'other') AS key,
        events,
        users
    FROM region_activity_1m_v2
    WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND {{ in_regions(region, country) }}
      AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
)
GROUP BY GROUPING SETS ((ts, key), (ts))
ORDER BY ts, is_total, key
