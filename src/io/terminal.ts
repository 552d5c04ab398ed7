/**
 * Text for a terminal: control characters (escape sequences, line breaks) shown as escapes instead, and a
 * leading `::` or `##[` too, which would make a GitHub runner read the line (leading spaces trimmed) as a
 * workflow command when this output lands in a CI log.
 */
export function plain(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/^( *)(:(?=:)|#(?=#\[))/, (_, ws: string, c: string) => `${ws}\\x${c.charCodeAt(0).toString(16)}`);
}
