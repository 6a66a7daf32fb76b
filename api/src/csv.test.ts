import { describe, expect, it } from 'vitest'
import { csvCell, csvLine, neutraliseCell, parseCsv, restoreCell } from './csv.ts'

describe('csv', () => {
  it('quotes text, doubles quotes and neutralises formulas reversibly', () => {
    expect(csvLine(['a,b', 'say "hi"', 3, null, true])).toBe('"a,b","say ""hi""",3,,true\r\n')
    for (const text of ['=1+1', '+cmd', '-2', '@SUM(1)', '\tx', '\rx', "'quoted"]) {
      expect(neutraliseCell(text)).toBe(`'${text}`)
      expect(restoreCell(neutraliseCell(text))).toBe(text)
    }
    expect(csvCell('<img src=x onerror=alert(1)>')).toBe('"<img src=x onerror=alert(1)>"')
    expect(csvCell(-0.5)).toBe('-0.5')
  })

  it('parses what it writes', () => {
    const text = csvLine(['x', '=y', 'a "b", c']) + csvLine(['2', '', 'z'])
    expect(parseCsv(text)).toEqual([
      ['x', "'=y", 'a "b", c'],
      ['2', '', 'z'],
    ])
  })
})
