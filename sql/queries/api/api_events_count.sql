-- Raw events an export of [from, to) with these filters would write: counted before streaming, for the row cap.
-- params: from Int64, to Int64 (epoch ms), regions Array(String), types Array(String), tags Array(String) (empty: all)
-- row: rows UInt64
SELECT count() AS rows
FROM events_v1
WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
  AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
  AND (empty({tags:Array(String)}) OR hasAny(hashtags, {tags:Array(String)}))
