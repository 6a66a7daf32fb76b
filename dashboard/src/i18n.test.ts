import { localIso } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import {
  formatChange,
  formatCompact,
  formatDay,
  formatInstant,
  formatInterval,
  formatMoment,
  formatMultiple,
  formatPercent,
  preferredLang,
  regionName,
  translator,
} from './i18n.ts'
import { CLOCK_CHANGES, inEachMachineZone, instantsAroundClockChanges, ZONES_UNDER_TEST } from './test-support.ts'

describe('compact numbers', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatCompact(12_000, 'zh-CN')).toBe('1.2万')
    expect(formatCompact(80_000_000, 'zh-CN')).toBe('8000万')
    expect(formatCompact(160_000_000, 'zh-CN')).toBe('1.6亿')
    expect(formatCompact(16_000_000, 'zh-CN')).toBe('1600万')
    expect(formatCompact(450_000, 'zh-CN')).toBe('45万')
    expect(formatCompact(9_999, 'zh-CN')).toBe('9999')
    expect(formatCompact(0, 'zh-CN')).toBe('0')
  })

  it('uses K, M and B in English', () => {
    expect(formatCompact(999, 'en')).toBe('999')
    expect(formatCompact(1_000, 'en')).toBe('1K')
    expect(formatCompact(12_345, 'en')).toBe('12.3K')
    expect(formatCompact(80_000_000, 'en')).toBe('80M')
    expect(formatCompact(160_000_000, 'en')).toBe('160M')
    expect(formatCompact(1_600_000_000, 'en')).toBe('1.6B')
  })

  it('carries rounding into the next unit and keeps the sign', () => {
    expect(formatCompact(99_999_999, 'zh-CN')).toBe('1亿')
    expect(formatCompact(999_999, 'en')).toBe('1M')
    expect(formatCompact(9_999.6, 'zh-CN')).toBe('1万')
    expect(formatCompact(-12_000, 'en')).toBe('-12K')
    expect(formatCompact(2.5, 'en')).toBe('2.5')
    expect(formatCompact(Number.NaN, 'en')).toBe('–')
  })
})

describe('percentages, changes and multiples', () => {
  it('formats shares and signed changes', () => {
    expect(formatPercent(0.6132, 'en')).toBe('61.3%')
    expect(formatPercent(0.6132, 'zh-CN')).toBe('61.3%')
    expect(formatChange(0.25, 'en')).toBe('+25.0%')
    expect(formatChange(-0.125, 'en')).toBe('−12.5%')
    expect(formatChange(null, 'en')).toBeUndefined()
    expect(formatMultiple(12.34, 'en')).toBe('×12')
    expect(formatMultiple(3.21, 'en')).toBe('×3.2')
    expect(formatMultiple(1240, 'en')).toBe('×1,240')
  })
})

describe('dates in the chosen zone', () => {
  const ts = Date.parse('2025-01-14T03:00:00+08:00')

  it('formats in the given zone, not the machine zone', () => {
    expect(formatInstant(ts, 'Asia/Shanghai', 'en', 'axis')).toBe('Jan 14, 03:00')
    expect(formatInstant(ts, 'America/New_York', 'en', 'axis')).toBe('Jan 13, 14:00')
    expect(formatInstant(ts, 'Asia/Shanghai', 'zh-CN', 'axis')).toBe('1月14日 03:00')
    expect(formatInstant(ts, 'Asia/Shanghai', 'en', 'time')).toBe('03:00:00')
  })

  it('formats calendar days without any zone shift', () => {
    expect(formatDay('2025-01-14', 'en')).toBe('Jan 14')
    expect(formatDay('2025-01-14', 'zh-CN')).toBe('1月14日')
    expect(formatDay('2025-09-01', 'en')).toBe('Sep 1')
    expect(formatDay('not a day', 'en')).toBe('not a day')
  })

  it('names the interval of a bucket across clock changes, midnight and a day boundary', () => {
    const { newYorkSpring, newYorkFall, lordHoweFall, lordHoweSpring } = CLOCK_CHANGES
    const hour = 3_600_000
    // The hour that lasts two hours by the wall clock, and the repeated one.
    expect(formatInterval(newYorkSpring - hour, newYorkSpring, 'America/New_York', 'en', false)).toBe(
      'Mar 9, 2025, 01:00–03:00',
    )
    expect(formatInterval(newYorkFall - hour, newYorkFall, 'America/New_York', 'en', false)).toBe(
      'Nov 2, 2025, 01:00–01:00',
    )
    expect(formatInterval(newYorkFall - hour, newYorkFall, 'America/New_York', 'zh-CN', false)).toBe(
      '2025年11月2日 01:00–01:00',
    )
    expect(formatInterval(lordHoweFall - hour, lordHoweFall, 'Australia/Lord_Howe', 'en', false)).toBe(
      'Apr 6, 2025, 01:00–01:30',
    )
    expect(formatInterval(lordHoweSpring - hour, lordHoweSpring, 'Australia/Lord_Howe', 'zh-CN', false)).toBe(
      '2025年10月5日 01:00–02:30',
    )
    // A bucket ending at midnight ends at 24:00 of its own day.
    const kathmanduMidnight = Date.parse('2025-01-15T00:00:00+05:45')
    expect(formatInterval(kathmanduMidnight - hour, kathmanduMidnight, 'Asia/Kathmandu', 'en', false)).toBe(
      'Jan 14, 2025, 23:00–24:00',
    )
    expect(formatInterval(kathmanduMidnight - hour, kathmanduMidnight, 'Asia/Kathmandu', 'zh-CN', false)).toBe(
      '2025年1月14日 23:00–24:00',
    )
    // One ending on the next day at another time names that day.
    const kolkata = Date.parse('2025-01-14T23:30:00+05:30')
    expect(formatInterval(kolkata, kolkata + hour, 'Asia/Kolkata', 'en', false)).toBe(
      'Jan 14, 2025, 23:30–Jan 15, 2025 00:30',
    )
    expect(formatInterval(kolkata, kolkata + hour, 'Asia/Kolkata', 'zh-CN', false)).toBe(
      '2025年1月14日 23:30–2025年1月15日 00:30',
    )
    // A daily bucket is its date; the 23-hour day of a spring change too.
    const newYorkDay = Date.parse('2025-03-09T00:00:00-05:00')
    expect(formatInterval(newYorkDay, newYorkDay + 23 * hour, 'America/New_York', 'en', true)).toBe('Mar 9, 2025')
    expect(formatInterval(newYorkDay, newYorkDay + 23 * hour, 'UTC', 'zh-CN', true)).toBe('2025年3月9日')
  })

  it('writes moments with the wall clock of the chosen zone, whatever the machine zone', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    const instants = instantsAroundClockChanges()
    const wrong: string[] = []
    inEachMachineZone((machineZone) => {
      for (const zone of ZONES_UNDER_TEST) {
        for (const ts of instants) {
          const [, y, mo, d, hh, mm, ss] =
            /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(localIso(ts, zone)) ?? []
          const [month, day] = [Number(mo), Number(d)]
          const expected = [
            `${months[month - 1]} ${day}, ${y}, ${hh}:${mm}`,
            `${y}年${month}月${day}日 ${hh}:${mm}`,
            `${months[month - 1]} ${day}, ${hh}:${mm}`,
            `${month}月${day}日 ${hh}:${mm}`,
            `${month}月${day}日`,
            `${hh}:${mm}:${ss}`,
          ]
          const written = [
            formatMoment(ts, zone, 'en'),
            formatMoment(ts, zone, 'zh-CN'),
            formatInstant(ts, zone, 'en', 'axis'),
            formatInstant(ts, zone, 'zh-CN', 'axis'),
            formatInstant(ts, zone, 'zh-CN', 'date'),
            formatInstant(ts, zone, 'en', 'time'),
          ]
          if (written.join('|') !== expected.join('|')) {
            wrong.push(`${written.join('|')} for ${localIso(ts, zone)} in ${zone}, machine zone ${machineZone}`)
          }
        }
      }
    })
    expect(wrong).toEqual([])
  })
})

describe('messages', () => {
  it('interpolates values and switches language', () => {
    expect(translator('en')('hoursIn', { tz: 'Asia/Shanghai' })).toBe('Hours in Asia/Shanghai')
    expect(translator('zh-CN')('hoursIn', { tz: 'Asia/Shanghai' })).toBe('按 Asia/Shanghai 时间')
    expect(translator('zh-CN')('retry')).toBe('重试')
  })

  it('picks Chinese for any zh preference, else English', () => {
    expect(preferredLang(['zh-TW', 'en'])).toBe('zh-CN')
    expect(preferredLang(['fr-FR', 'en-GB'])).toBe('en')
    expect(preferredLang([])).toBe('en')
  })

  it('names regions in both languages', () => {
    expect(regionName('US', 'en')).toBe('United States')
    expect(regionName('US', 'zh-CN')).toBe('美国')
    expect(regionName('CN-SH', 'zh-CN')).toBe('上海')
    expect(regionName('other', 'en')).toBe('Other')
    expect(regionName('<b>', 'en')).toBe('<b>')
  })
})
