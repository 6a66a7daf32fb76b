/**
 * CSV as RFC 4180 describes it (CRLF line ends, text cells quoted, quotes doubled), with one addition for
 * spreadsheets: a text cell that Excel or Sheets would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR)
 * is prefixed with an apostrophe, the spreadsheet's own "this is text" marker. Cells that already start with an
 * apostrophe get one too, so the prefix is unambiguous: removing one leading apostrophe gives the original text.
 * The raw events export builds the same cells in SQL (api_events_csv.sql) for speed.
 */

export type CsvValue = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r']/

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** Reverses neutraliseCell. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return `"${neutraliseCell(value).replaceAll('"', '""')}"`
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/** Parses CSV text into records of raw cell text (quotes removed, apostrophe prefixes kept). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const char = text[i] as string
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
      } else cell += char
      i++
      continue
    }
    if (char === '"') quoted = true
    else if (char === ',') {
      record.push(cell)
      cell = ''
    } else if (char === '\r' || char === '\n') {
      record.push(cell)
      records.push(record)
      record = []
      cell = ''
      if (char === '\r' && text[i + 1] === '\n') i++
    } else cell += char
    i++
  }
  if (cell.length > 0 || record.length > 0) {
    record.push(cell)
    records.push(record)
  }
  return records
}
