DROP VIEW ra_exact_mv
