import { MAX_EVENT_BYTES } from '@trendlens/contract'
import { describe, expect, it } from 'vitest'
import { validateEvent, validateMessage } from './validation.ts'

const NOW = Date.parse('2025-01-20T00:00:00Z')
const good = {
  id: 'e1',
  type: 'view',
  ts: '2025-01-14T03:00:00+08:00',
  user_id: 'u1',
  note_id: 'n1',
  hashtags: ['#TikTokRefugee', 'tiktokrefugee', ' ＃ＣａｔＴａｘ ', '猫税', ''],
  region: 'us-ca',
  lang: 'en-US',
}

function message(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

describe('validateMessage', () => {
  it('accepts a good event and normalises it', () => {
    const result = validateMessage(message(good), NOW)
    expect(result).toEqual({
      ok: true,
      event: {
        id: 'e1',
        type: 'view',
        ts: Date.parse('2025-01-13T19:00:00Z'),
        user_id: 'u1',
        note_id: 'n1',
        hashtags: ['tiktokrefugee', 'cattax', '猫税'],
        region: 'US-CA',
        country: 'US',
        lang: 'en-US',
      },
    })
  })

  it('accepts epoch milliseconds and an ip_region heartbeat without a note', () => {
    const result = validateMessage(message({ id: 'h', type: 'ip_region', ts: 1736791200000, user_id: 'u' }), NOW)
    expect(result.ok && result.event).toMatchObject({ ts: 1736791200000, note_id: '', hashtags: [], region: '' })
  })

  it('resolves an IP to a region and never keeps the IP', () => {
    const result = validateMessage(message({ ...good, region: undefined, ip: '61.135.169.121' }), NOW)
    expect(result.ok && result.event.region).toBe('CN-BJ')
    expect(JSON.stringify(result)).not.toContain('61.135.169.121')
  })

  it('lets region win over ip', () => {
    const result = validateMessage(message({ ...good, region: 'GB', ip: '61.135.169.121' }), NOW)
    expect(result.ok && result.event.country).toBe('GB')
  })

  it('keeps hostile text as data', () => {
    const tags = ['<img src=x onerror=alert(1)>', '=HYPERLINK("http://x","y")']
    const result = validateMessage(message({ ...good, hashtags: tags }), NOW)
    expect(result.ok && result.event.hashtags).toEqual(['<img src=x onerror=alert(1)>', '=hyperlink("http://x","y")'])
  })

  const bad: [string, Buffer | null, string][] = [
    ['empty', Buffer.alloc(0), 'bad_json'],
    ['null value', null, 'bad_json'],
    ['not JSON', Buffer.from('{"id":'), 'bad_json'],
    ['bad UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'bad_utf8'],
    ['an array', message([good]), 'not_an_object'],
    ['oversized', message({ ...good, pad: 'x'.repeat(MAX_EVENT_BYTES) }), 'too_large'],
    ['no id', message({ ...good, id: undefined }), 'bad_id'],
    ['long id', message({ ...good, id: 'x'.repeat(65) }), 'bad_id'],
    ['numeric id', message({ ...good, id: 7 }), 'bad_id'],
    ['unknown type', message({ ...good, type: 'like' }), 'bad_type'],
    ['ts without offset', message({ ...good, ts: '2025-01-14T03:00:00' }), 'bad_ts'],
    ['impossible day', message({ ...good, ts: '2025-02-30T00:00:00Z' }), 'bad_ts'],
    ['fractional epoch', message({ ...good, ts: 1.5 }), 'bad_ts'],
    ['ts in 1970', message({ ...good, ts: 0 }), 'ts_out_of_range'],
    ['ts next year', message({ ...good, ts: '2026-01-20T00:00:00Z' }), 'ts_out_of_range'],
    ['no user', message({ ...good, user_id: '' }), 'bad_user_id'],
    ['view without note', message({ ...good, note_id: undefined }), 'bad_note_id'],
    ['hashtags not an array', message({ ...good, hashtags: 'a,b' }), 'bad_hashtags'],
    ['hashtag not a string', message({ ...good, hashtags: [1] }), 'bad_hashtags'],
    [
      'too many hashtags',
      message({ ...good, hashtags: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
      'too_many_hashtags',
    ],
    ['hashtag too long', message({ ...good, hashtags: ['x'.repeat(65)] }), 'hashtag_too_long'],
    ['control character', message({ ...good, hashtags: ['a\u0000b'] }), 'bad_hashtags'],
    ['bad region', message({ ...good, region: 'XX-1' }), 'bad_region'],
    ['region not a string', message({ ...good, region: 5 }), 'bad_region'],
    ['bad ip', message({ ...good, region: undefined, ip: '999.1.1.1' }), 'bad_ip'],
    ['bad lang', message({ ...good, lang: 'english please' }), 'bad_lang'],
  ]
  it.each(bad)('refuses %s', (_label, value, reason) => {
    const result = validateMessage(value, NOW)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.reason).toBe(reason)
      expect(result.message.length).toBeGreaterThan(0)
    }
  })
})

it('validateEvent refuses non-objects', () => {
  expect(validateEvent('x', NOW)).toMatchObject({ ok: false, reason: 'not_an_object' })
})
