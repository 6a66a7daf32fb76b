DROP VIEW ra_bitmap_mv
