import { describe, expect, it } from 'vitest'
import {
  formatChange,
  formatCompact,
  formatDay,
  formatInstant,
  formatMultiple,
  formatPercent,
  preferredLang,
  regionName,
  translator,
} from './i18n.ts'

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
