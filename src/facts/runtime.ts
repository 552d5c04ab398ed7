/** Which statements of a block run when it runs, as seen without running it: module scans read through this. */
import { children, textOf, type SyntaxNode } from '../parse/python.js';

/** `if TYPE_CHECKING:` (bare or through `typing.`): a block that never runs, so binds and uses nothing at runtime. */
export function isTypeChecking(cond: SyntaxNode, text: string): boolean {
  const t = textOf(cond, text).replace(/\s+/g, '');
  return t === 'TYPE_CHECKING' || t === 'typing.TYPE_CHECKING';
}

/**
 * Calls `visit` on each statement that may run when `stmts` run: through every arm of if/try/with/for/while
 * (which arm runs is not known statically), but not into the body of `if TYPE_CHECKING:`.
 */
export function runtimeStatements(stmts: SyntaxNode[], text: string, visit: (s: SyntaxNode) => void): void {
  for (const s of stmts) {
    switch (s.name) {
      case 'IfStatement': {
        const kids = children(s);
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i]!;
          if (k.name !== 'Body') continue;
          const cond = kids[i - 1];
          if (kids[i - 2]?.name === 'if' && cond && isTypeChecking(cond, text)) continue;
          runtimeStatements(children(k), text, visit);
        }
        break;
      }
      case 'TryStatement':
      case 'WithStatement':
      case 'ForStatement':
      case 'WhileStatement':
        for (const b of s.getChildren('Body')) runtimeStatements(children(b), text, visit);
        break;
      default:
        visit(s);
    }
  }
}
