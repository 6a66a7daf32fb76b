-- One raw event's timestamp by id (epoch ms), for support look-ups and tests.
-- params: id String
-- row: ts Int64
SELECT toUnixTimestamp64Milli(ts) AS ts FROM events_v1 WHERE id = {id:String}
