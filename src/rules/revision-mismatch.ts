import { defineRule } from './types.js';
import { isHexLikeId, parseFileName } from '../facts/filename.js';

/** The docstring and the file name are what people read; the variables are what Alembic runs. They must agree. */
export default defineRule({
  meta: {
    id: 'revision-mismatch',
    description: "The docstring's `Revision ID:`/`Revises:` or the file name's revision id disagrees with `revision`/`down_revision`.",
    defaultSeverity: 'warning',
    fixable: false,
    help: 'Make the docstring header, the file name and the variables name the same revisions; the variables are what Alembic uses.',
    convention: 'fileNameIds',
    messages: {
      docstringRevision: "revision = '{revision}' but the docstring says \"Revision ID: {said}\"",
      fileName: "revision = '{revision}' but the file name carries revision id '{said}'",
      docstringRevises: 'down_revision is {downRevision} but the docstring says "Revises: {said}"',
    },
  },
  checkFile({ file, env, settings, report }) {
    const f = file.facts;
    if (f.parseError) return;
    const rev = f.revision.values?.length === 1 ? f.revision.values[0] : null;
    if (rev && f.revision.span) {
      const hdr = f.header.revisionId;
      if (hdr && hdr.value && hdr.value !== rev) {
        report({ span: f.revision.span, messageId: 'docstringRevision', data: { revision: rev, said: hdr.value } });
      }
      const base = file.path.split('/').pop()!;
      const fromName = parseFileName(base, env.fileTemplate).rev;
      const namesCarryIds = settings.conventions?.fileNameIds.holds ?? true;
      if (namesCarryIds && fromName && fromName !== rev && isHexLikeId(fromName) && !rev.startsWith(fromName)) {
        report({ span: f.revision.span, messageId: 'fileName', data: { revision: rev, said: fromName } });
      }
    }
    const downs = f.downRevision.values;
    const revises = f.header.revises;
    if (revises && downs && downs.every((d) => d !== null) && f.downRevision.span) {
      const said = revises.value
        .replace(/[()'"]/g, ' ')
        .split(/[\s,]+/)
        .filter((s) => s && s !== 'None');
      const actual = downs as string[];
      const same = said.length === actual.length && said.every((s) => actual.includes(s));
      if (!same) {
        report({
          span: f.downRevision.span,
          messageId: 'docstringRevises',
          data: { downRevision: actual.length ? actual.map((d) => `'${d}'`).join(', ') : 'None', said: revises.value },
        });
      }
    }
  },
});
