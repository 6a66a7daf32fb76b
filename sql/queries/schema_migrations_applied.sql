-- Migrations already applied, for the migration runner.
SELECT version, name, checksum FROM schema_migrations ORDER BY version
