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

/**
 * The titles of the story's own annotations in English and Chinese, by annotation id: the seed stores them, the
 * dashboard shows the one in the viewer's language.
 */
export const STORY_NOTES = {
  S5: {
    en: 'RedNote climbs to #2, then #1 free app in the US App Store',
    'zh-CN': '小红书冲上美国 App Store 免费榜第二，随后登顶',
  },
  S6: { en: 'US TikTok ban deadline', 'zh-CN': 'TikTok 美国禁令生效期限' },
} as const satisfies Record<string, Record<'en' | 'zh-CN', string>>
