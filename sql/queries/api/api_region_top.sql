-- Regions ranked by events or active users over a range, from the 15-minute rollup. At level 'province' CN is
-- split into its provinces and other countries stay whole. Events without a known region are left out.
-- params: from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String), types Array(String)
--         (empty: all), level String ('country' | 'province'), metric String ('users' | 'events'), limit UInt32
-- row: key String, events UInt64, users UInt64
SELECT
    if({level:String} = 'province' AND country = 'CN', region, country) AS key,
    sum(events) AS events,
    uniqExactMergeIf(users, {metric:String} = 'users') AS users
FROM region_activity_15m_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND country != ''
  AND {{ in_regions(region, country) }}
  AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
GROUP BY key
ORDER BY if({metric:String} = 'users', users, events) DESC, key ASC
LIMIT {limit:UInt32}
