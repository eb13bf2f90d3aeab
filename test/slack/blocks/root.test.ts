import { describe, expect, it } from 'vitest';
import { getFlow } from '../../../src/engine/load.js';
import { rootMessage } from '../../../src/slack/blocks/root.js';
import type { Session } from '../../../src/store/index.js';

const flow = getFlow();
const view = (status: Session['status']) => ({
  title: 'Payments',
  startedBy: 'U0ALICE',
  status,
  answers: {},
});
const footnote = (status: Session['status']) => JSON.stringify(rootMessage(flow, view(status)).blocks.at(-1));

describe('the root message’s last line', () => {
  it('invites answers only while the interview is open, and says what the thread holds after', () => {
    expect(footnote('open')).toContain('anyone in the channel can answer');
    for (const status of ['complete', 'decided', 'abandoned'] as const) {
      expect(footnote(status)).not.toContain('can answer');
    }
    expect(footnote('complete')).toContain('recommendation and its reasons');
    expect(footnote('decided')).toContain('decision record');
    expect(footnote('abandoned')).toContain('/mesh-help start');
  });
});
