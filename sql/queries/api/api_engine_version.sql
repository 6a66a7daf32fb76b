-- The engine's version, for diagnostics and benchmark reports.
-- params: none
-- row: version String
SELECT version() AS version
