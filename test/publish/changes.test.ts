import { describe, expect, it } from 'vitest';
import { type Changes, knownStatus, prBody } from '../../src/publish/changes.js';

const none: Changes = { added: [], statusChanged: [], edited: [], supersedes: [], removed: [], index: false };

describe('the pull request description prints no text from the repository as Markdown or HTML', () => {
  it('shows only statuses mesh-help writes; anything a repository file claims becomes a fixed phrase', () => {
    expect(knownStatus('accepted')).toBe('accepted');
    expect(knownStatus('superseded by ADR-0007')).toBe('superseded by ADR-0007');
    for (const claimed of [
      'accepted <img src=x onerror=alert(1)>',
      '[click me](https://evil.example/)',
      'accepted\n\n# Injected heading',
      '@acme/everyone please merge',
      'superseded by [ADR-0001](https://evil.example/)',
    ])
      expect(knownStatus(claimed)).toBe('an unrecognised status');

    const body = prBody('T1', 'docs/decisions', {
      ...none,
      statusChanged: [
        {
          number: 1,
          title: 'Adopt a mesh',
          from: '[click me](https://evil.example/) <b>x</b>\n# Heading',
          to: 'accepted',
        },
      ],
    });
    expect(body).toContain('- ADR-0001: Adopt a mesh: an unrecognised status → accepted');
    expect(body).not.toMatch(/evil|<b>|^# Heading/m);
  });

  it('escapes removed file names, which come from the repository', () => {
    const body = prBody('T1', 'docs/decisions', {
      ...none,
      removed: ['0001-a`](https://evil.example/)<script>x</script>.md', '0002-b\n# Heading @org/team.md'],
    });
    const lines = body.split('\n');
    const section = lines.slice(lines.indexOf('### Renamed (old files removed)') + 2, -1).filter(Boolean);
    expect(section[0]).toBe('- 0001-a\\`\\](https://evil.example/)&lt;script&gt;x&lt;/script&gt;.md');
    expect(section[1]).toBe('- 0002-b \\# Heading @\u200borg/team.md');
    expect(body).not.toMatch(/<script>|^# Heading/m);
  });
});
