/**
 * Just enough SQL reading for classifying raw statements: strings, quoted identifiers and comments are
 * blanked out first, so a `DROP` inside a literal or a comment never counts.
 */
export function stripSql(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += ' ';
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 1;
      out += ' ';
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += ch === '"' ? ' "ident" ' : " 'str' ";
      i = j;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? sql.length : close + tag[0].length - 1;
        out += " 'str' ";
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Statements that destroy data, as a short phrase, or null. */
export function destructiveSql(sql: string): string | null {
  const s = stripSql(sql).replace(/\s+/g, ' ').toUpperCase();
  // DELETE only as a statement (at the start, after `;`, or opening a CTE's parentheses): `ON DELETE CASCADE`,
  // `AFTER DELETE` triggers and `GRANT DELETE` remove nothing.
  const m = /\b(DROP (?:TABLE|COLUMN|SCHEMA|DATABASE|MATERIALIZED VIEW|VIEW|TYPE)|ALTER TABLE [^;]*? DROP (?:COLUMN )?(?!CONSTRAINT|DEFAULT|NOT|INDEX|IDENTITY|EXPRESSION)|TRUNCATE|DELETE FROM)|(?:^|[;(]) ?(DELETE)\b/.exec(s);
  if (!m) return null;
  const word = (m[1] ?? m[2]!).trim();
  if (word.startsWith('ALTER TABLE')) return 'ALTER TABLE … DROP COLUMN';
  if (word.startsWith('DELETE')) return 'DELETE';
  return word;
}
