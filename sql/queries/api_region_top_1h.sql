-- api_region_top from the hourly rollup: for ranges of whole UTC hours with no event-type filter.
-- params: from Int64, to Int64 (epoch ms, whole UTC hours), regions Array(String) (empty: all),
--         level String ('country' | 'province'), metric String ('users' | 'events'), limit UInt32
SELECT
    if({level:String} = 'province' AND country = 'CN', region, country) AS key,
    sum(events) AS events,
    uniqExactMergeIf(users, {metric:String} = 'users') AS users
FROM region_activity_1h_v1
WHERE bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND country != ''
  AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})
GROUP BY key
ORDER BY if({metric:String} = 'users', users, events) DESC, key ASC
LIMIT {limit:UInt32}
