-- Rows and compressed bytes of each rollup.
SELECT table, sum(rows) AS rows, sum(data_compressed_bytes) AS bytes
FROM system.parts
WHERE active AND database = currentDatabase() AND table IN ('ra_exact', 'ra_bitmap', 'ra_bitmap_all')
GROUP BY table
ORDER BY table
