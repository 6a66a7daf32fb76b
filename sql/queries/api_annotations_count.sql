-- How many annotation rows exist at all (tombstones included): seeding runs only on an empty table.
-- params: none
SELECT count() AS rows FROM annotations_v1
