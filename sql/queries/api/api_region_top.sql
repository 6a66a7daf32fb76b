-- Regions ranked by events or active users over a range, from the 15-minute rollups (the all-types one without a
-- type filter, the per-type one with; the branch not taken reads no part). At level 'province' CN is split into its
-- provinces and other countries stay whole. Events without a known region are left out.
-- params: from Int64, to Int64 (epoch ms, whole quarter hours), regions Array(String), types Array(String)
--         (empty: all), level String ('country' | 'province'), metric String ('users' | 'events'), limit UInt32
-- row: key String, events UInt64, users UInt32
SELECT
    if({level:String} = 'province' AND country = 'CN', region, country) AS key,
    sum(events) AS events,
    groupBitmapMergeIf(users, {metric:String} = 'users') AS users
FROM
(
    SELECT region, country, events, users
    FROM region_users_15m_v1
    WHERE empty({types:Array(String)})
      AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND country != ''
      AND {{ in_regions(region, country) }}
    UNION ALL
    SELECT region, country, events, users
    FROM region_activity_15m_v2
    WHERE notEmpty({types:Array(String)})
      AND bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
      AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
      AND country != ''
      AND {{ in_regions(region, country) }}
      AND toString(type) IN {types:Array(String)}
)
GROUP BY key
ORDER BY if({metric:String} = 'users', users, events) DESC, key ASC
LIMIT {limit:UInt32}
