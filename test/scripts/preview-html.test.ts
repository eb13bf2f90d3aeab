import { describe, expect, it } from 'vitest';
import { message, modal, mrkdwn } from '../../scripts/preview/html.js';

describe('the preview page renders Block Kit as Slack shows it', () => {
  it('keeps text the bot escaped as text, and turns links, mentions and markup into HTML', () => {
    // The bot escapes user text for mrkdwn (&, <, >), which is already safe HTML.
    expect(mrkdwn('a &lt;script&gt;x&lt;/script&gt; &amp; b')).toBe('a &lt;script&gt;x&lt;/script&gt; &amp; b');
    expect(mrkdwn('*bold* and _it_ by <@U0BOB> in <#C0X|decisions>')).toBe(
      '<b>bold</b> and <i>it</i> by <span class="mention">@bob</span> in <span class="mention">#decisions</span>',
    );
    expect(mrkdwn('<https://x.example/p1|thread>')).toBe('<a href="https://x.example/p1">thread</a>');
    expect(mrkdwn('`code *not bold*`\nnext')).toBe('<code>code *not bold*</code><br>next');
  });

  it('draws buttons with their style, and plain text escaped', () => {
    const html = message({
      text: 'x',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '<b>Title</b>' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Accept' }, style: 'primary' },
            { type: 'button', text: { type: 'plain_text', text: 'Details' } },
          ],
        },
      ],
    });
    expect(html).toContain('&lt;b&gt;Title&lt;/b&gt;');
    expect(html).toContain('<span class="btn primary">Accept</span>');
    expect(html).toContain('<span class="btn">Details</span>');
    const view = modal({
      title: { type: 'plain_text', text: 'Why' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: [],
    });
    expect(view).toContain('Why');
    expect(view).toContain('<span class="btn">Close</span>');
  });
});
