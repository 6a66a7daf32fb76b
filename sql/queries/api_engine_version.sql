-- The engine's version, for diagnostics and benchmark reports.
-- params: none
SELECT version() AS version
