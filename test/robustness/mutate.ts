/**
 * Mutations of real migrations, as fast-check arbitraries: the damage files really suffer (a bad merge, an
 * editor's stray keystroke, a truncated download, a wrong encoding, a binary blob under a .py name) and the
 * shapes a hostile pull request would try (NUL bytes, lone CR, huge lines, deep nesting).
 */
import fc from 'fast-check';

/** Snippets inserted at random places: brackets, quotes, colons, indents, line breaks and bytes that are not UTF-8. */
const SNIPPETS: Buffer[] = [
  ...['(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", ':', ',', '=', '\\', '#', '@', '.', '*', '**'],
  ...['\n', '\n    ', '    ', '\t', '\r', '\r\n', '\f', '\n\n\n', ' \\\n'],
  ...['def upgrade():\n', 'if x:\n', 'lambda: ', 'f"{', '}"', 'op.', 'op.drop_table(', 'import sqlmodel\n', 'None', '# migration-lint: ignore-file raw-sql -- ok\n'],
  ...['\u2028', '\u00a0', '\u200b', 'é', '🦸', '\uFEFF'],
].map((s) => Buffer.from(s, 'utf8'));

/** Bytes that are not UTF-8: a stray continuation, a truncated sequence, an overlong form, a surrogate, a NUL. */
const BAD_BYTES: Buffer[] = [[0x00], [0xff], [0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xff]].map((b) =>
  Buffer.from(b),
);

export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; data: Buffer }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; to: number }
  | { kind: 'hugeLine'; at: number; unit: string; times: number };

const position = fc.nat({ max: 1 << 20 });

/** Repeats of a huge line: lezer's error recovery costs ~15 µs a character, so `npm test` keeps them short. */
const HUGE = Math.max(1_000, Number(process.env.FUZZ_HUGE ?? (process.env.npm_lifecycle_event === 'fuzz' ? 20_000 : 4_000)));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, data: fc.constantFrom(...SNIPPETS, ...BAD_BYTES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }), to: position }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hugeLine' as const),
      at: position,
      unit: fc.constantFrom('x', '(', ')', '[', '"', "'", ' ', 'a + ', '\\', '#'),
      times: fc.integer({ min: 1_000, max: HUGE }),
    }),
  },
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 5 });

export function applyMutations(input: Uint8Array, list: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of list) {
    const at = m.at % (b.length + 1);
    switch (m.kind) {
      case 'flip':
        if (b.length) {
          b = Buffer.from(b);
          b[at % b.length] = m.byte;
        }
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.data, b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'duplicate': {
        const slice = b.subarray(at, at + m.length);
        const to = m.to % (b.length + 1);
        b = Buffer.concat([b.subarray(0, to), slice, b.subarray(to)]);
        break;
      }
      case 'hugeLine':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.unit.repeat(m.times)), b.subarray(at)]);
        break;
    }
  }
  return b;
}

/** A readable label for a failing case, so that a counterexample can be turned into a regression fixture. */
export function describeMutations(list: Mutation[]): string {
  return list
    .map((m) => {
      if (m.kind === 'insert') return `insert@${m.at}:${JSON.stringify(m.data.toString('latin1'))}`;
      if (m.kind === 'hugeLine') return `hugeLine@${m.at}:${JSON.stringify(m.unit)}x${m.times}`;
      return JSON.stringify(m);
    })
    .join(' ');
}
