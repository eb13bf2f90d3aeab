import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { adrFileName, renderAdr, slugify } from '../../src/adr/index.js';
import { checklistKey } from '../../src/engine/checklist.js';
import { emptyTeam } from '../../src/store/schema.js';
import { add, day2, flow, HOSTILE, hostileTeam, multiRegion, oneCluster, tokens } from './fixtures.js';

/** Front matter (parsed) and body of a rendered file. */
function split(content: string) {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(content);
  if (!m) throw new Error('no front matter');
  return { meta: parseYaml(m[1] ?? '') as Record<string, unknown>, body: m[2] ?? '' };
}

/** The lines of one `## ` section, without its heading. */
function section(body: string, heading: string): string[] {
  const lines = body.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter(Boolean);
}

const SECTIONS = [
  'Context and Problem Statement',
  'Decision Drivers',
  'Considered Options',
  'Decision Outcome',
  'Pros and Cons of the Options',
  'More Information',
];

describe('adrFileName', () => {
  it('is NNNN-kebab-title.md, ASCII, bounded and never empty', () => {
    expect(adrFileName(7, 'Adopt Cilium ClusterMesh (multi-region)!')).toBe(
      '0007-adopt-cilium-clustermesh-multi-region.md',
    );
    expect(adrFileName(12, 'Café für Ümlaut — ok')).toBe('0012-cafe-fur-umlaut-ok.md');
    expect(adrFileName(1, '🚀 !!! <>')).toBe('0001-decision.md');
    expect(adrFileName(1, '')).toBe('0001-decision.md');
    const long = slugify('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(60));
  });
});

describe('renderAdr', () => {
  const doc = emptyTeam('T1');
  const d = add(doc, { title: 'Adopt a cluster mesh for region failover' });
  const file = renderAdr(d, { flow, decisions: doc.decisions });
  const { meta, body } = split(file.content);

  it('writes MADR front matter: status, date as YYYY-MM-DD and the decision-makers', () => {
    expect(file.fileName).toBe('0001-adopt-a-cluster-mesh-for-region-failover.md');
    expect(meta).toEqual({ status: 'accepted', date: '2026-11-25', 'decision-makers': ['Ada Lovelace'] });
    expect(file.content).toMatch(/^---\nstatus: accepted\ndate: 2026-11-25\n/);
  });

  it('has one H1 right after the front matter and the MADR sections in order', () => {
    expect(body.split('\n')[0]).toBe('# Adopt a cluster mesh for region failover');
    const headings = body.split('\n').filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual(['# Adopt a cluster mesh for region failover', ...SECTIONS.map((s) => `## ${s}`)]);
  });

  it('states the problem from the answers with question prompts and option labels', () => {
    const ctx = section(body, 'Context and Problem Statement').join('\n');
    expect(ctx).toContain('How many Kubernetes clusters run this system? **Clusters in several regions**');
    expect(ctx).toContain('Which CNI do the clusters run? **Cilium**');
    expect(ctx).not.toContain('multi-region');
  });

  it('lists as drivers the answers the chosen patterns rest on, and the warnings', () => {
    const drivers = section(body, 'Decision Drivers');
    const cited = new Set(
      d.recommendation.reasons
        .filter((r) => d.chosen.includes(r.pattern))
        .map((r) => flow.questionById.get(r.question)?.prompt),
    );
    expect(cited.size).toBeGreaterThan(0);
    for (const prompt of cited) expect(drivers.some((l) => l.startsWith(`- ${prompt}`))).toBe(true);
    for (const w of d.recommendation.warnings) expect(drivers).toContain(`- Warning: ${w}`);
    expect(drivers.every((l) => l.startsWith('- '))).toBe(true);
  });

  it('considers every chosen, recommended and ruled-out pattern, each with its pros and cons', () => {
    const rec = d.recommendation;
    const ids = [...new Set([...d.chosen, rec.primary, ...rec.complements, ...rec.notNow])];
    const names = ids.map((id) => flow.patternById.get(id)?.name);
    expect(section(body, 'Considered Options')).toEqual(names.map((n) => `- ${n}`));
    const pc = section(body, 'Pros and Cons of the Options');
    expect(pc.filter((l) => l.startsWith('### '))).toEqual(names.map((n) => `### ${n}`));
    expect(pc.some((l) => l.startsWith('- Good, because '))).toBe(true);
    expect(pc.some((l) => l.startsWith('- Neutral, because '))).toBe(true);
    expect(pc.some((l) => l.startsWith('- Bad, because '))).toBe(true);
  });

  it('begins the outcome with the MADR line and gives consequences', () => {
    const outcome = section(body, 'Decision Outcome');
    const names = d.chosen.map((id) => flow.patternById.get(id)?.name).join(' with ');
    expect(outcome[0]).toMatch(
      new RegExp(`^Chosen option: "${names}", because it fits the team's answers best: .+\\.$`),
    );
    expect(outcome).toContain('### Consequences');
    const pros = d.chosen.flatMap((id) => flow.patternById.get(id)?.pros ?? []);
    expect(outcome.filter((l) => l.startsWith('- Good, because ')).length).toBe(pros.length);
    expect(outcome.some((l) => l.startsWith('- Bad, because '))).toBe(true);
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const again = renderAdr(structuredClone(d), { flow, decisions: structuredClone(doc.decisions) });
    expect(again).toEqual(file);
  });
});

describe('renderAdr, tools and the readiness checklist', () => {
  const doc = emptyTeam('T1');
  const d = add(doc, {
    title: 'Mesh across regions',
    answers: { ...multiRegion, network: 'flat', ops: 'platform-team' },
  });
  const ticked = d.recommendation.checklist[0];
  if (!ticked) throw new Error('the profile has no checklist');
  d.checklistTicks = { [checklistKey(ticked)]: { by: 'U9', byName: 'Grace Hopper', at: day2.toISOString() } };
  const { body } = split(renderAdr(d, { flow, decisions: doc.decisions }).content);
  const outcome = section(body, 'Decision Outcome');

  it('names the first-choice tool of every adopted layer with its status, checked date and source', () => {
    for (const t of d.recommendation.tools.filter((x) => x.fit === 'first-choice')) {
      const tool = flow.toolById.get(t.tool);
      const line = outcome.find((l) => l.startsWith(`- ${flow.patternById.get(t.pattern)?.name}: ${tool?.name}`));
      expect(line, t.tool).toBeDefined();
      expect(line).toContain(`checked ${tool?.checked}`);
      expect(line).toContain(`[Source](${tool?.source})`);
    }
  });

  it('lists the tools to avoid with the reason', () => {
    const avoid = d.recommendation.tools.filter((x) => x.fit === 'avoid');
    for (const t of avoid)
      expect(outcome.join('\n')).toContain(`Avoid ${flow.toolById.get(t.tool)?.name}: ${t.because}`);
  });

  it('puts the checklist under Confirmation, ticked items with who ticked them and when', () => {
    const at = outcome.indexOf('### Confirmation');
    expect(at).toBeGreaterThan(outcome.indexOf('### Consequences'));
    const items = outcome.slice(at).filter((l) => /^- \[[ x]\] /.test(l));
    expect(items).toHaveLength(d.recommendation.checklist.length);
    expect(items[0]).toMatch(/^- \[x\] .*\(ticked by Grace Hopper on 2026-12-02\)/);
    expect(items.slice(1).every((l) => l.startsWith('- [ ] '))).toBe(true);
    expect(outcome.slice(at).join('\n')).toContain(`(1 of ${items.length} done)`);
  });

  it('says what would change this decision, one line per answer that would, after the Confirmation', () => {
    const at = outcome.indexOf('### What would change this decision');
    expect(at).toBeGreaterThan(outcome.indexOf('### Confirmation'));
    const entries = d.recommendation.sensitivity ?? [];
    expect(entries.length).toBeGreaterThan(0);
    const lines = outcome.slice(at + 1);
    expect(lines).toHaveLength(entries.length);
    for (const [i, s] of entries.entries()) expect(lines[i]).toBe(`- ${s.because}`);
  });

  it('is read by Backstage and adr-log like any other record (headings unchanged)', () => {
    const headings = body.split('\n').filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual(['# Mesh across regions', ...SECTIONS.map((x) => `## ${x}`)]);
  });
});

describe('renderAdr, sources a reason cites', () => {
  it('links the page that documents the cloud products a first choice names, beside the tool’s own source', () => {
    const doc = emptyTeam('T1');
    const d = add(doc, {
      title: 'Fail users over between AWS regions',
      answers: {
        clusters: 'multi-region',
        pains: ['region-failover'],
        traffic: 'user-facing',
        data: 'replicated',
        platform: 'eks',
      },
    });
    const first = d.recommendation.tools.find(
      (t) => t.pattern === 'multi-cluster-without-mesh' && t.fit === 'first-choice',
    );
    expect(first?.sources?.length).toBeGreaterThan(0);
    const { body } = split(renderAdr(d, { flow, decisions: doc.decisions }).content);
    const line = section(body, 'Decision Outcome').find((l) => l.startsWith('- Multi-cluster without a mesh:'));
    expect(line).toMatch(/Route 53/);
    for (const url of first?.sources ?? []) expect(line).toContain(`[Source](${url})`);
  });
});

describe('renderAdr, overrides and supersedes', () => {
  const doc = emptyTeam('T1');
  const old = add(doc, { title: 'Adopt a cluster mesh' });
  const next = add(doc, {
    title: 'Stay on a service mesh only',
    answers: oneCluster,
    chosen: ['service-mesh'],
    overrideReason: 'We already run Istio and know it well.',
    supersedes: old.number,
    now: day2,
    by: 'U2',
    byName: 'Grace Hopper',
  });
  const oldFile = renderAdr(old, { flow, decisions: doc.decisions });
  const newFile = renderAdr(next, { flow, decisions: doc.decisions });

  it('says the team overrode the bot, why, and what was recommended', () => {
    const outcome = section(split(newFile.content).body, 'Decision Outcome');
    expect(outcome[0]).toBe('Chosen option: "Service mesh", because We already run Istio and know it well.');
    expect(outcome[1]).toBe(
      'The team overrode mesh-help\'s recommendation, "Plain Kubernetes", and gave the reason above.',
    );
    expect(section(split(newFile.content).body, 'Considered Options')).toEqual(
      expect.arrayContaining(['- Service mesh', '- Plain Kubernetes']),
    );
  });

  it('shows the supersede in both files, with relative links to each other', () => {
    const o = split(oldFile.content);
    const n = split(newFile.content);
    expect(o.meta.status).toBe('superseded by ADR-0002');
    expect(o.meta.date).toBe('2026-12-02');
    expect(n.meta.status).toBe('accepted');
    expect(section(o.body, 'More Information')).toContain(
      `- Superseded by [ADR-0002: Stay on a service mesh only](${newFile.fileName}).`,
    );
    expect(section(n.body, 'More Information')).toContain(
      `- Supersedes [ADR-0001: Adopt a cluster mesh](${oldFile.fileName}).`,
    );
    expect(n.meta['decision-makers']).toEqual(['Grace Hopper']);
  });

  it('says a proposed revisit has not superseded anything yet', () => {
    const team = emptyTeam('T1');
    const a = add(team, {});
    const b = add(team, { status: 'proposed', supersedes: a.number, title: 'Later' });
    const info = section(split(renderAdr(b, { flow, decisions: team.decisions }).content).body, 'More Information');
    expect(info).toContain(
      `- Revisits [ADR-0001: ${a.title}](0001-adopt-a-cluster-mesh-for-region-failover.md); accepting this record supersedes it.`,
    );
    expect(split(renderAdr(a, { flow, decisions: team.decisions }).content).meta.status).toBe('accepted');
    expect(
      section(split(renderAdr(b, { flow, decisions: team.decisions }).content).body, 'Decision Outcome'),
    ).toContain('This record is proposed: the option above is on the table and not accepted yet.');
  });
});

describe('renderAdr, the thread', () => {
  const doc = emptyTeam('T1');
  const d = add(doc, {});
  d.permalink = 'https://acme.slack.com/archives/C1/p1700000000000100';
  const at = (s: string) => `2026-11-2${s}T10:00:00.000Z`;
  d.replies = [
    {
      ts: '1700000009.000200',
      user: 'U3',
      userName: 'Linus',
      text: 'Second',
      at: at('6'),
      deleted: false,
      permalink: 'https://acme.slack.com/archives/C1/p1700000009000200?thread_ts=1',
    },
    { ts: '1700000002.000100', user: 'U2', userName: 'Grace', text: 'First draft', at: at('5'), deleted: false },
    {
      ts: '1700000002.000100',
      user: 'U2',
      userName: 'Grace',
      text: 'First, edited',
      at: at('5'),
      deleted: false,
      editedAt: at('6'),
    },
    { ts: '1700000005.000100', user: 'U4', text: 'I take this back', at: at('5'), deleted: false },
    { ts: '1700000005.000100', user: 'U4', text: 'I take this back', at: at('5'), deleted: true },
  ];
  d.concerns = [
    {
      id: 'c1',
      by: 'U3',
      byName: 'Linus',
      text: 'Who runs it at night?',
      at: at('5'),
      resolvedBy: 'U1',
      resolvedAt: at('6'),
    },
    { id: 'c2', by: 'U5', text: 'Cost of proxies', at: at('6') },
  ];
  d.approvals = [
    { by: 'U2', byName: 'Grace', at: at('6') },
    { by: 'U2', byName: 'Grace', at: at('6') },
  ];
  const { meta, body } = split(renderAdr(d, { flow, decisions: doc.decisions }).content);
  const info = section(body, 'More Information');

  it('links the Slack thread, gives the revisit date, approvals and concerns with their resolution', () => {
    expect(info).toContain(`- Discussed in [the Slack thread](${d.permalink}).`);
    expect(info).toContain(`- Revisit this decision by ${d.revisitOn}.`);
    expect(info).toContain('- Approved by Grace on 2026-11-26.');
    expect(info).toContain('  - Linus on 2026-11-25: Who runs it at night? (resolved by Ada Lovelace on 2026-11-26)');
    expect(info).toContain('  - U5 on 2026-11-26: Cost of proxies (open)');
  });

  it('gives each reply once, in thread order, with its permalink, and leaves deleted ones out', () => {
    const replies = info.slice(info.indexOf('- Key replies in the thread:') + 1);
    expect(replies).toEqual([
      '  - Grace (2026-11-25): First, edited',
      '  - Linus ([2026-11-26](https://acme.slack.com/archives/C1/p1700000009000200?thread_ts=1)): Second',
    ]);
    expect(body).not.toContain('take this back');
  });

  it('lists deciders, approvers and the people consulted in the front matter', () => {
    expect(meta['decision-makers']).toEqual(['Ada Lovelace', 'Grace']);
    expect(meta.consulted).toEqual(['Linus', 'U5']);
  });

  it('uses a thread link passed in when the record has none, and never a non-http one', () => {
    const bare = add(emptyTeam('T1'), {});
    const link = 'https://acme.slack.com/archives/C9/p1';
    expect(renderAdr(bare, { flow, decisions: [bare], threadLink: link }).content).toContain(
      `[the Slack thread](${link})`,
    );
    bare.permalink = 'javascript:alert(1)';
    expect(renderAdr(bare, { flow, decisions: [bare] }).content).not.toContain('javascript:');
  });
});

describe('renderAdr, hostile user text', () => {
  const doc = hostileTeam();
  const files = doc.decisions.map((d) => renderAdr(d, { flow, decisions: doc.decisions }));

  it('keeps the front matter to its own keys with the text quoted, not interpreted', () => {
    for (const f of files) {
      const { meta } = split(f.content);
      expect(Object.keys(meta).every((k) => ['status', 'date', 'decision-makers', 'consulted'].includes(k))).toBe(true);
      expect(meta.status).not.toBe('hacked');
      for (const person of meta['decision-makers'] as unknown[]) expect(typeof person).toBe('string');
      expect(f.content.split('\n').filter((l) => l === '---')).toHaveLength(2);
    }
    expect(split(files[0]?.content ?? '').meta['decision-makers']).toContain(`Mallory ${HOSTILE.replace(/\n/g, ' ')}`);
  });

  it('renders no raw HTML, no injected heading, link or image, and no extra table', () => {
    for (const f of files) {
      const { body } = split(f.content);
      const ts = tokens(body);
      expect(ts.filter((t) => t.type === 'htmlblock' || t.type === 'htmltag')).toEqual([]);
      expect(ts.filter((t) => t.type === 'image')).toEqual([]);
      expect(ts.filter((t) => t.type === 'table_open')).toEqual([]);
      const hrefs = ts.filter((t) => t.type === 'link_open').map((t) => t.href);
      expect(
        hrefs.every(
          (h) =>
            h === 'https://acme.slack.com/archives/C1/p1700000000000100' ||
            /^\d{4}-[a-z0-9-]+\.md$/.test(h ?? '') ||
            // The tool catalogue's sources (flows/tools.yaml), never user text.
            flow.tools.tools.some((t) => new URL(t.source).href === h),
        ),
      ).toBe(true);
      const level = (n: number) => ts.filter((t) => t.type === 'heading_open' && t.hLevel === n).length;
      expect(level(1)).toBe(1);
      expect(level(2)).toBe(SECTIONS.length);
      expect(level(3)).toBe(body.split('\n').filter((l) => l.startsWith('### ')).length);
      expect(ts.filter((t) => t.type === 'hr')).toEqual([]);
      const h2 = body.split('\n').filter((l) => l.startsWith('## '));
      expect(h2).toEqual(SECTIONS.map((s) => `## ${s}`));
      expect(body).not.toMatch(/<script|<!channel>/);
    }
  });

  it("still shows the user's words, escaped", () => {
    const { body } = split(files[1]?.content ?? '');
    expect(body.split('\n')[0]).toMatch(
      /^# \\# &lt;!channel&gt; &lt;script&gt;alert\(1\)&lt;\/script&gt; \\\[x\\\]\(http:\/\/evil\)/,
    );
    expect(section(body, 'Decision Outcome')[0]).toMatch(
      /^Chosen option: "Service mesh", because &lt;!channel&gt; .* \\\| a \\\| b \\\|\.$/,
    );
  });
});
