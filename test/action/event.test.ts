/** The base, head and pull request each event gives, read from real webhook payloads. */
import { describe, expect, it } from 'vitest';
import { changeRange } from '../../src/action/event.js';
import { webhookPayload } from './harness.js';

describe('changeRange', () => {
  it('pull_request: the base and head commits and the number', () => {
    const p = webhookPayload('pull_request', 'synchronize');
    expect(changeRange('pull_request', p, 'merge-sha', '')).toEqual({
      base: p.pull_request.base.sha,
      baseFrom: "the pull request's base",
      headSha: p.pull_request.head.sha,
      pullNumber: p.pull_request.number,
    });
  });

  it("push: `before`, or every migration for a new branch's first push", () => {
    const p = webhookPayload('push');
    p.before = 'a'.repeat(40);
    expect(changeRange('push', p, 'sha', '')).toMatchObject({ base: 'a'.repeat(40), headSha: p.after, pullNumber: null });
    p.before = '0'.repeat(40);
    expect(changeRange('push', p, 'sha', '')).toMatchObject({ base: null, headSha: p.after });
  });

  it('workflow_dispatch: its `base` input; the Action input wins over every event', () => {
    const p = webhookPayload('workflow_dispatch');
    expect(changeRange('workflow_dispatch', p, 'sha', '')).toMatchObject({ base: null, headSha: 'sha' });
    p.inputs = { base: 'v1.2.0' };
    expect(changeRange('workflow_dispatch', p, 'sha', '')).toMatchObject({ base: 'v1.2.0', baseFrom: "the workflow_dispatch input 'base'" });
    expect(changeRange('workflow_dispatch', p, 'sha', 'origin/main')).toMatchObject({ base: 'origin/main', baseFrom: "the input 'base'" });
    const pr = webhookPayload('pull_request', 'opened');
    expect(changeRange('pull_request', pr, 'sha', 'abc123')).toMatchObject({ base: 'abc123', pullNumber: pr.pull_request.number });
  });

  it('merge_group: its base and head', () => {
    const p = webhookPayload('merge_group');
    expect(changeRange('merge_group', p, 'sha', '')).toMatchObject({ base: p.merge_group.base_sha, headSha: p.merge_group.head_sha, pullNumber: null });
  });

  it('other events lint every migration', () => {
    expect(changeRange('schedule', {}, 'sha', '')).toEqual({ base: null, baseFrom: 'none: every migration is linted', headSha: 'sha', pullNumber: null });
  });
});
