/**
 * The seed story's public facts: the week the seed data covers and the tag it follows. The dashboard opens on them
 * before `/api/meta` answers; the seed generator builds that week.
 */
export const SEED_STORY = {
  tag: 'tiktokrefugee',
  /** 2025-01-10 00:00 to 2025-01-20 24:00 Beijing time, end exclusive. */
  from: '2025-01-10T00:00:00+08:00',
  to: '2025-01-21T00:00:00+08:00',
  /** The story is told in Beijing time, where its figures were reported. */
  timeZone: 'Asia/Shanghai',
} as const
