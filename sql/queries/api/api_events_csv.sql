-- A raw events export as CSV rows, in (ts, id) order, streamed by the engine block by block.
-- Times are local ISO 8601 with the zone's offset; text cells a spreadsheet would run as a formula (leading = + - @
-- tab CR) and cells starting with the apostrophe used for that are prefixed with an apostrophe.
-- Column order is the export's header: t, ts, id, type, user_id, note_id, hashtags, region, country, lang.
-- params: from Int64, to Int64 (epoch ms), tz String, regions Array(String), types Array(String),
--         tags Array(String) (empty: all)
-- row: t String, ts_ms Int64, id_cell String, type_cell String, user_cell String, note_cell String,
--      hashtags_cell String, region LowCardinality(String), country LowCardinality(String), lang LowCardinality(String)
WITH formatDateTime(ts, '%Y-%m-%dT%H:%i:%S.%f%z', {tz:String}) AS local_time
SELECT
    concat(substring(local_time, 1, 26), ':', substring(local_time, 27, 2)) AS t,
    toUnixTimestamp64Milli(ts) AS ts_ms,
    if(substring(id, 1, 1) IN ('=', '+', '-', '@', '\t', '\r', ''''), concat('''', id), id) AS id_cell,
    toString(type) AS type_cell,
    if(substring(user_id, 1, 1) IN ('=', '+', '-', '@', '\t', '\r', ''''), concat('''', user_id), user_id) AS user_cell,
    if(substring(note_id, 1, 1) IN ('=', '+', '-', '@', '\t', '\r', ''''), concat('''', note_id), note_id) AS note_cell,
    toJSONString(hashtags) AS hashtags_cell,
    region,
    country,
    lang
FROM events_v1
WHERE ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND {{ in_regions(region, country) }}
  AND (empty({types:Array(String)}) OR toString(type) IN {types:Array(String)})
  AND (empty({tags:Array(String)}) OR hasAny(hashtags, {tags:Array(String)}))
ORDER BY ts, id
-- Reading in the table's order streams without sorting; blocks of 8192 rows (about 1 MB of CSV) bound the memory
-- each chunk takes on its way to the socket. Without read-ahead buffers before the merge of the parts and without
-- parallel formatting, the engine holds one block per part rather than many: half the memory, and no slower.
SETTINGS output_format_csv_crlf_end_of_line = 1, output_format_json_escape_forward_slashes = 0,
    formatdatetime_f_prints_scale_number_of_digits = 1, optimize_read_in_order = 1, max_block_size = 8192,
    read_in_order_use_buffering = 0, output_format_parallel_formatting = 0
