-- The newest version of one annotation, tombstone or not, with its version time (a delete must write a newer one).
-- params: id String
-- row: id String, ts Int64, title String, body String, hashtag String, created_by String, deleted UInt8,
--      latest_version Int64
SELECT
    id,
    toUnixTimestamp64Milli(argMax(ts, version)) AS ts,
    argMax(title, version) AS title,
    argMax(body, version) AS body,
    argMax(hashtag, version) AS hashtag,
    argMax(created_by, version) AS created_by,
    argMax(deleted, version) AS deleted,
    toUnixTimestamp64Milli(max(version)) AS latest_version
FROM annotations_v1
WHERE id = {id:String}
GROUP BY id
