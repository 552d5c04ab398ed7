/** One pull request comment, found again by its hidden marker and edited on every push instead of piling up. */
import { COMMENT_MARKER } from './report.js';

export interface CommentsApi {
  list(params: { owner: string; repo: string; issue_number: number; per_page: number }): Promise<{ id: number; body?: string | null; user?: { type?: string } | null }[]>;
  create(params: { owner: string; repo: string; issue_number: number; body: string }): Promise<{ data: { id: number } }>;
  update(params: { owner: string; repo: string; comment_id: number; body: string }): Promise<{ data: { id: number } }>;
}

export async function upsertStickyComment(
  api: CommentsApi,
  where: { owner: string; repo: string; pullNumber: number },
  body: string,
): Promise<{ id: number; created: boolean }> {
  const full = `${COMMENT_MARKER}\n${body}`;
  const comments = await api.list({ owner: where.owner, repo: where.repo, issue_number: where.pullNumber, per_page: 100 });
  const marked = comments.filter((c) => c.body?.includes(COMMENT_MARKER));
  // A person quoting the marker does not make their comment ours: the bot's own comes first.
  const mine = marked.find((c) => c.user?.type === 'Bot') ?? marked[0];
  if (mine) {
    try {
      const { data } = await api.update({ owner: where.owner, repo: where.repo, comment_id: mine.id, body: full });
      return { id: data.id, created: false };
    } catch (err) {
      const status = (err as { status?: number })?.status;
      // Someone else's comment (or one deleted meanwhile): write our own instead.
      if (status !== 403 && status !== 404) throw err;
    }
  }
  const { data } = await api.create({ owner: where.owner, repo: where.repo, issue_number: where.pullNumber, body: full });
  return { id: data.id, created: true };
}
