-- api_overview_kpis from the hourly rollup: for periods of whole UTC hours.
-- params: previous_from Int64, from Int64, to Int64 (epoch ms, whole UTC hours), regions Array(String) (empty: all)
SELECT
    if(bucket >= fromUnixTimestamp64Milli({from:Int64}, 'UTC'), 'current', 'previous') AS period,
    sum(views) AS views,
    sum(discussions) AS discussions,
    sum(events) AS total_events,
    sumIf(events, country != '') AS located_events,
    sumIf(events, country != '' AND country != 'CN') AS foreign_events,
    uniqExactMerge(users) AS active_users
FROM region_activity_1h_v1
WHERE bucket >= fromUnixTimestamp64Milli({previous_from:Int64}, 'UTC')
  AND bucket < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND (empty({regions:Array(String)}) OR region IN {regions:Array(String)} OR country IN {regions:Array(String)})
GROUP BY period
