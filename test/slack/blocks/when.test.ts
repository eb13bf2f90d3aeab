import { describe, expect, it } from 'vitest';
import { slackDay, slackWhen } from '../../../src/slack/blocks/when.js';

describe('dates in Slack messages', () => {
  it('render in each reader’s own zone through <!date>, with a fallback written in the team’s zone', () => {
    const unix = Date.parse('2026-11-24T09:00:00Z') / 1000;
    expect(slackWhen('2026-11-24T09:00:00.000Z', 'Asia/Tokyo')).toBe(
      `<!date^${unix}^{date_short_pretty} at {time}|Tue, 24 Nov 2026, 18:00 GMT+9>`,
    );
    expect(slackWhen('2026-11-24T09:00:00.000Z')).toContain('|Tue, 24 Nov 2026, 09:00 UTC>');
    expect(slackDay('2026-11-24T23:30:00.000Z')).toBe(`<!date^${unix + 14.5 * 3600}^{date_short}|2026-11-24>`);
    // Something that is not a time stays as written.
    expect(slackDay('someday')).toBe('someday');
  });
});
