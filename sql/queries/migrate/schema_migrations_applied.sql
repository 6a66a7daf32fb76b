-- Migrations already applied, for the migration runner.
-- params: none
-- row: version UInt32, name String, checksum String
SELECT version, name, checksum FROM schema_migrations ORDER BY version
