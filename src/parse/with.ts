/** The items of a `with` statement, read the same way by the facts, the scopes and the strict syntax layer. */
import type { SyntaxNode } from '@lezer/common';

const BRACKETS = new Set(['(', ')', ',']);

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

export interface WithItem {
  manager: SyntaxNode;
  /** What `as` binds, if anything. */
  target: SyntaxNode | null;
}

const WITH_PARTS = new Set(['with', 'async', 'Body', ',']);

/**
 * The context managers of a `with` statement and their targets, in both forms: `with a as x, b:` and (3.9)
 * `with (a as x, b):`, where the whole list is one parenthesized node of the tree. As in CPython, a parenthesized
 * list standing alone is a list of managers, not a tuple.
 */
export function withItems(node: SyntaxNode): WithItem[] {
  let parts = kids(node).filter((k) => !WITH_PARTS.has(k.name));
  const only = parts[0];
  if (parts.length === 1 && only && (only.name === 'TupleExpression' || only.name === 'ParenthesizedExpression')) {
    parts = kids(only).filter((k) => !BRACKETS.has(k.name));
  }
  const items: WithItem[] = [];
  for (let i = 0; i < parts.length; i++) {
    const manager = parts[i]!;
    if (manager.name === 'as') continue;
    const hasTarget = parts[i + 1]?.name === 'as';
    items.push({ manager, target: hasTarget ? (parts[i + 2] ?? null) : null });
    if (hasTarget) i += 2;
  }
  return items;
}
