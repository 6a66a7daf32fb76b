DROP VIEW ra_bitmap_all_mv
