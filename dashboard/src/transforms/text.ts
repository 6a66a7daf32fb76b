/**
 * User-written text (hashtags, region codes, annotation titles) drawn by ECharts. With the canvas renderer and
 * `renderMode: 'richText'` tooltips nothing is parsed as HTML, but zrender still reads `{style|text}` as rich-text
 * markup; a zero-width joiner after every `{` keeps such text literal.
 */
export function richTextLiteral(text: string): string {
  return text.replaceAll('{', '{\u200d')
}
