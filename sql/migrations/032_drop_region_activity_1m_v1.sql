DROP TABLE IF EXISTS region_activity_1m_v1
