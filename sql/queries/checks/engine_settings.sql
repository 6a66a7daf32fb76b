-- The engine's server and MergeTree settings by name, to check what it started with.
-- params: names Array(String)
-- row: name String, value String
SELECT name, value FROM system.server_settings WHERE name IN {names:Array(String)}
UNION ALL
SELECT name, value FROM system.merge_tree_settings WHERE name IN {names:Array(String)}
ORDER BY name
