-- How many annotation rows exist at all (tombstones included): seeding runs only on an empty table.
-- params: none
-- row: rows UInt64
SELECT count() AS rows FROM annotations_v1
