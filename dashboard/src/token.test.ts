import { afterEach, describe, expect, it } from 'vitest'
import { adoptTokenFromLocation, apiToken, authHeaders, setApiToken, withTokenParam } from './token.ts'

function fakeAddress(href: string) {
  const url = new URL(href)
  const replaced: string[] = []
  const location = { pathname: url.pathname, search: url.search, hash: url.hash } as Location
  const replaceState = (_state: unknown, _title: string, to: string) => void replaced.push(to)
  const history = { state: null, replaceState } as unknown as History
  return { location, history, replaced }
}

afterEach(() => setApiToken(undefined))

describe('API token', () => {
  it('takes the token from the fragment, keeps the rest of the address, and sends it', () => {
    const { location, history, replaced } = fakeAddress('http://x/?range=surge#token=a%2Bb%20c&panel=split')
    adoptTokenFromLocation(location, history)
    expect(apiToken()).toBe('a+b c')
    expect(replaced).toEqual(['/?range=surge#panel=split'])
    expect(authHeaders()).toEqual({ authorization: 'Bearer a+b c' })
    expect(withTokenParam('/api/live?tz=UTC')).toBe('/api/live?tz=UTC&token=a%2Bb%20c')
    expect(withTokenParam('/api/export/events.csv')).toBe('/api/export/events.csv?token=a%2Bb%20c')
  })

  it('leaves the address alone without a token, and adds nothing to requests', () => {
    const { location, history, replaced } = fakeAddress('http://x/?range=surge#panel=split')
    adoptTokenFromLocation(location, history)
    expect(replaced).toEqual([])
    expect(apiToken()).toBeUndefined()
    expect(authHeaders()).toEqual({})
    expect(withTokenParam('/api/live')).toBe('/api/live')
  })

  it('forgets a blank token', () => {
    setApiToken('secret-secret-secret')
    setApiToken('   ')
    expect(apiToken()).toBeUndefined()
  })
})
