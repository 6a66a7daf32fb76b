-- The highest number given in one range of the user dictionary (range × 2^24 + sequence), 0 when the range has none:
-- where a process's numbering of that range continues. Read once per range and process (and again when a Kafka
-- partition is assigned), so the scan of the dictionary it takes is rare.
-- params: range UInt32 (0-255)
-- row: last_no UInt32
SELECT max(user_no) AS last_no
FROM user_numbers_v1
WHERE intDiv(user_no, 16777216) = {range:UInt32}
