import { describe, expect, it } from 'vitest'
import { ResponseCache } from './response-cache.ts'

function deferred<T>() {
  let resolve: (value: T) => void = () => {}
  let reject: (error: unknown) => void = () => {}
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('ResponseCache', () => {
  it('shares one computation between concurrent identical requests and reuses it for the TTL', async () => {
    const cache = new ResponseCache(1_000, () => {})
    let runs = 0
    const load = async () => ++runs
    const [a, b] = await Promise.all([cache.get('k', load, 0), cache.get('k', load, 10)])
    expect([a, b, runs]).toEqual([1, 1, 1])
    expect(await cache.get('k', load, 999)).toBe(1)
  })

  it('serves the previous answer while one refresh runs, then the refreshed one', async () => {
    const cache = new ResponseCache(1_000, () => {}, 5_000)
    await cache.get('k', async () => 'first', 0)
    const refresh = deferred<string>()
    let refreshes = 0
    const load = () => {
      refreshes++
      return refresh.promise
    }
    expect(await cache.get('k', load, 1_500)).toBe('first')
    expect(await cache.get('k', load, 1_600)).toBe('first')
    expect(refreshes).toBe(1)
    refresh.resolve('second')
    await refresh.promise
    expect(await cache.get('k', load, 1_700)).toBe('second')
  })

  it('keeps a slow answer fresh for twice what it cost, so slow questions are not recomputed back to back', async () => {
    const cache = new ResponseCache(10, () => {}, 50)
    let runs = 0
    const slowLoad = async () => {
      await new Promise((resolve) => setTimeout(resolve, 80))
      return ++runs
    }
    expect(await cache.get('k', slowLoad, 0)).toBe(1)
    // Past the 10 ms TTL and its 50 ms stale window, but within 2 x 80 ms of the computation's start.
    expect(await cache.get('k', slowLoad, 150)).toBe(1)
    expect(runs).toBe(1)
    expect(await cache.get('k', slowLoad, 1_000)).toBe(2)
  })

  it('waits for a new answer once the previous one is too old', async () => {
    const cache = new ResponseCache(1_000, () => {}, 5_000)
    await cache.get('k', async () => 'old', 0)
    expect(await cache.get('k', async () => 'new', 6_001)).toBe('new')
  })

  it('never keeps a failure: the first load fails to its caller, a failed refresh is reported', async () => {
    const reported: unknown[] = []
    const cache = new ResponseCache(1_000, (_key, error) => reported.push(error), 5_000)
    await expect(cache.get('k', () => Promise.reject(new Error('down')), 0)).rejects.toThrow('down')
    expect(await cache.get('k', async () => 'up', 1)).toBe('up')
    const failing = deferred<string>()
    expect(await cache.get('k', () => failing.promise, 2_000)).toBe('up')
    failing.reject(new Error('refresh down'))
    await failing.promise.catch(() => undefined)
    expect(reported).toEqual([new Error('refresh down')])
    expect(await cache.get('k', async () => 'again', 2_100)).toBe('up')
  })

  it('runs every time when the TTL is 0, and stays bounded', async () => {
    const off = new ResponseCache(0, () => {})
    let runs = 0
    await off.get('k', async () => ++runs)
    await off.get('k', async () => ++runs)
    expect(runs).toBe(2)
    const small = new ResponseCache(60_000, () => {}, 0, 2)
    let loads = 0
    for (const key of ['a', 'b', 'c', 'a']) await small.get(key, async () => ++loads, 0)
    expect(loads).toBe(4)
  })
})
