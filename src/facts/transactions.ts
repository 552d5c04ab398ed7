/**
 * Which statements of a migration share a transaction. Alembic runs a PostgreSQL migration inside one
 * transaction, except the body of `with op.get_context().autocommit_block():`, which first commits
 * what ran before it and then runs each statement on its own (autocommit), and starts a new
 * transaction after it.
 */
import { parsePython, textOf, withItems, type SyntaxNode } from '../parse/python.js';
import type { Span } from '../model/span.js';

export interface Transactions {
  /** Bodies of `with ….autocommit_block():` statements, in source order. */
  autocommitBlocks: Span[];
  inAutocommit(offset: number): boolean;
  /** Two offsets run in the same transaction when their keys are equal. */
  transactionKey(offset: number): string;
}

const cache = new WeakMap<object, Transactions>();

/** Reads the autocommit blocks of a file; `owner` (the file's facts) keys the cache. */
export function transactionsOf(owner: object, text: string): Transactions {
  const hit = cache.get(owner);
  if (hit) return hit;
  const blocks = findAutocommitBlocks(text);
  const inBlock = (offset: number) => blocks.find((b) => offset >= b.start && offset < b.end);
  const tx: Transactions = {
    autocommitBlocks: blocks,
    inAutocommit: (offset) => inBlock(offset) !== undefined,
    transactionKey: (offset) => {
      // Autocommit: every statement commits on its own.
      if (inBlock(offset)) return `auto:${offset}`;
      return `tx:${blocks.filter((b) => b.end <= offset).length}`;
    },
  };
  cache.set(owner, tx);
  return tx;
}

function findAutocommitBlocks(text: string): Span[] {
  const out: Span[] = [];
  // The call is matched by its exact name below: without that name in the text, there is nothing to parse for.
  if (!text.includes('autocommit_block')) return out;
  parsePython(text).iterate({
    enter(n) {
      if (n.name !== 'WithStatement') return;
      const node = n.node;
      const body = node.getChild('Body');
      if (!body) return;
      if (withItems(node).some(({ manager }) => manager.name === 'CallExpression' && isAutocommitCall(manager, text))) {
        out.push({ start: body.from, end: body.to });
      }
    },
  });
  return out.sort((a, b) => a.start - b.start);
}

// `op.get_context().autocommit_block()`, or `ctx.autocommit_block()` on a context kept in a variable:
// the method name is MigrationContext's own, so the receiver need not be traced.
function isAutocommitCall(call: SyntaxNode, text: string): boolean {
  const callee = call.firstChild;
  if (!callee || callee.name !== 'MemberExpression') return false;
  const prop = callee.lastChild;
  return !!prop && prop.name === 'PropertyName' && textOf(prop, text) === 'autocommit_block';
}
