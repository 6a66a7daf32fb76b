import { describe, expect, it } from 'vitest'
import {
  allowedGranularities,
  type Defaults,
  defaultState,
  effectiveGranularity,
  normaliseTags,
  parseRegions,
  parseState,
  previousRangeOf,
  queries,
  rangeIncludesNow,
  rangeOf,
  STATIC_DEFAULTS,
  SURGE_RANGE,
  serializeState,
} from './state.ts'
import { toIsoInZone } from './time.ts'

const defaults: Defaults = STATIC_DEFAULTS

describe('URL ⇄ state', () => {
  it('gives the story view for an empty query string', () => {
    const state = parseState('', defaults)
    expect(state).toEqual(defaultState(defaults))
    expect(state.tags).toEqual(['tiktokrefugee', 'tiktokban'])
    expect(state.tz).toBe('Asia/Shanghai')
    expect(rangeOf(state, defaults)).toEqual(defaults.story)
  })

  it('round-trips every field', () => {
    const state = {
      ...defaultState(defaults),
      preset: 'custom' as const,
      from: '2025-01-13T00:00:00+08:00',
      to: '2025-01-15T00:00:00+08:00',
      granularity: '15m' as const,
      tz: 'America/New_York',
      lang: 'zh-CN' as const,
      tags: ['猫税', 'a,b', '<img src=x onerror=alert(1)>'],
      growthMode: 'bucket' as const,
      growthMetric: 'discussions' as const,
      topBy: 'discussions' as const,
      level: 'province' as const,
      splitMetric: 'events' as const,
      heatRegion: 'CN',
      heatValue: 'value' as const,
      regions: ['CN-SH', 'US'],
      types: ['view' as const, 'comment' as const],
      paused: true,
    }
    const search = serializeState(state, defaults)
    expect(parseState(search, defaults)).toEqual(state)
    expect(search).toContain('tz=America/New_York')
    expect(search).toContain('from=2025-01-13T00:00:00%2B08:00')
  })

  it('writes only what differs from the defaults, and always the language', () => {
    expect(serializeState(defaultState(defaults), defaults)).toBe('?lang=en')
    const zone = { ...defaultState(defaults), tz: 'UTC' }
    expect(serializeState(zone, defaults)).toBe('?tz=UTC&lang=en')
  })

  it('falls back to defaults for invalid values', () => {
    const state = parseState(
      '?range=forever&tz=Mars/Olympus&lang=fr&gran=year&mode=x&region=china!&type=click&heat=<b>',
      defaults,
    )
    expect(state).toEqual(defaultState(defaults))
  })

  it('refuses a custom range it cannot read and keeps the story', () => {
    expect(parseState('?range=custom&from=yesterday&to=now', defaults).preset).toBe('story')
    const relative = parseState('?range=custom&from=-3d&to=now', defaults)
    expect(relative.preset).toBe('custom')
    expect(rangeOf(relative, defaults)).toEqual({ from: '-3d', to: 'now' })
  })

  it('normalises tags like ingest does, at most five', () => {
    expect(normaliseTags(['#TikTokRefugee', 'tiktokrefugee', ' ##猫税 ', '', 'ｘｓｗｌ'])).toEqual([
      'tiktokrefugee',
      '猫税',
      'xswl',
    ])
    expect(normaliseTags(['a', 'b', 'c', 'd', 'e', 'f'])).toHaveLength(5)
    expect(parseState('?tags=a,%23B', defaults).tags).toEqual(['a', 'b'])
    expect(parseState('?tags=', defaults).tags).toEqual([])
  })

  it('reads region lists', () => {
    expect(parseRegions('cn, US ,cn-sh')).toEqual(['CN', 'US', 'CN-SH'])
    expect(parseRegions('')).toEqual([])
    expect(parseRegions('China')).toBeUndefined()
  })
})

describe('ranges', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')

  it('maps presets to API ranges', () => {
    const base = defaultState(defaults)
    expect(rangeOf({ ...base, preset: 'surge' }, defaults)).toEqual(SURGE_RANGE)
    expect(rangeOf({ ...base, preset: '24h' }, defaults)).toEqual({ from: '-24h', to: 'now' })
    expect(rangeOf({ ...base, preset: '1h' }, defaults)).toEqual({ from: '-60m', to: 'now' })
  })

  it('is live only when the range reaches the present', () => {
    expect(rangeIncludesNow(defaults.story, 'Asia/Shanghai', now)).toBe(false)
    expect(rangeIncludesNow({ from: '-24h', to: 'now' }, 'UTC', now)).toBe(true)
    expect(rangeIncludesNow({ from: '2026-03-01', to: '2026-03-02' }, 'UTC', now)).toBe(true)
  })

  it('disables granularities that exceed the API point limit', () => {
    const week = allowedGranularities(defaults.story, 'Asia/Shanghai', now)
    expect([...week].sort()).toEqual(['15m', 'auto', 'day', 'hour'])
    const hour = allowedGranularities({ from: '-60m', to: 'now' }, 'UTC', now)
    expect(hour.has('minute')).toBe(true)
  })
})

describe('API parameters', () => {
  it('gives each route only the parameters it accepts', () => {
    const state = { ...defaultState(defaults), regions: ['US'], types: ['view' as const] }
    const q = queries(state, defaults)
    expect(Object.keys(q.overview).sort()).toEqual(['from', 'region', 'to', 'tz'])
    expect(q.growth.granularity).toBe('hour')
    expect(q.growth.tag).toEqual(['tiktokrefugee', 'tiktokban'])
    expect(q.top).not.toHaveProperty('type')
    expect(q.top).not.toHaveProperty('granularity')
    expect(q.split.type).toEqual(['view'])
    expect(q.heatmap.region).toEqual(['US'])
    expect(q.heatmap.focus).toEqual([state.heatRegion])
    expect(Object.keys(q.annotations).sort()).toEqual(['from', 'to', 'tz'])
  })

  it('asks live ranges for quarter hours over a day, and lets the API choose for a custom range', () => {
    expect(queries({ ...defaultState(defaults), preset: '24h' }, defaults).growth.granularity).toBe('15m')
    expect(queries({ ...defaultState(defaults), preset: 'custom' }, defaults).growth.granularity).toBeUndefined()
  })
})

describe('live ranges', () => {
  it('open per bucket, at a granularity that shows movement, and a link keeps what the viewer chose', () => {
    const lastHour = parseState('?range=1h', defaults)
    expect(lastHour.growthMode).toBe('bucket')
    expect(effectiveGranularity(lastHour)).toBe('minute')
    expect(effectiveGranularity(parseState('?range=24h', defaults))).toBe('15m')
    expect(effectiveGranularity(parseState('?range=7d', defaults))).toBe('hour')
    expect(parseState('', defaults).growthMode).toBe('cumulative')
    expect(serializeState(lastHour, defaults)).toBe('?range=1h&lang=en')
    const cumulative = { ...lastHour, growthMode: 'cumulative' as const }
    expect(parseState(serializeState(cumulative, defaults), defaults).growthMode).toBe('cumulative')
  })
})

describe('the previous period', () => {
  it('is the same length just before, relative ranges staying relative', () => {
    const now = Date.parse('2025-01-14T12:00:00+08:00')
    expect(previousRangeOf({ from: '-24h', to: 'now' }, 'Asia/Shanghai', now)).toEqual({ from: '-48h', to: '-24h' })
    expect(previousRangeOf({ from: '-7d', to: 'now' }, 'Asia/Shanghai', now)).toEqual({ from: '-14d', to: '-7d' })
    expect(previousRangeOf(SURGE_RANGE, 'Asia/Shanghai', now)).toEqual({
      from: '2025-01-13T00:00:00+08:00',
      to: '2025-01-14T00:00:00+08:00',
    })
    // The same length in instants, not a calendar shift: a 23-hour New York day is compared with the 23 hours before.
    const newYorkSpringDay = { from: '2025-03-09T00:00:00-05:00', to: '2025-03-10T00:00:00-04:00' }
    expect(previousRangeOf(newYorkSpringDay, 'America/New_York', now)).toEqual({
      from: '2025-03-08T01:00:00-05:00',
      to: '2025-03-09T00:00:00-05:00',
    })
    expect(
      previousRangeOf(
        { from: '2025-04-06T00:00:00+11:00', to: '2025-04-07T00:00:00+10:30' },
        'Australia/Lord_Howe',
        now,
      ),
    ).toEqual({
      from: '2025-04-04T23:30:00+11:00',
      to: '2025-04-06T00:00:00+11:00',
    })
    // A relative bound whose double the API would refuse (more than six digits) is written out in instants.
    expect(previousRangeOf({ from: '-600000m', to: 'now' }, 'UTC', now)).toEqual({
      from: toIsoInZone(now - 1_200_000 * 60_000, 'UTC'),
      to: toIsoInZone(now - 600_000 * 60_000, 'UTC'),
    })
  })
})
