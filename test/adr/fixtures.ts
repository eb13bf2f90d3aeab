import { createRequire } from 'node:module';
import { type NewDecision, recordDecision } from '../../src/domain/machine/record.js';
import { getFlow } from '../../src/engine/load.js';
import { recommend } from '../../src/engine/recommend.js';
import { type Decision, emptyTeam, type TeamDoc } from '../../src/store/schema.js';

export const flow = getFlow();
export const multiRegion = {
  clusters: 'multi-region',
  services: '50-plus',
  pains: ['region-failover', 'mtls'],
  cni: 'cilium',
};
export const oneCluster = { clusters: 'one', services: 'under-10', pains: ['none'] };
export const day1 = new Date('2026-11-25T10:00:00Z');
export const day2 = new Date('2026-12-02T09:30:00Z');

/** Appends a record to a team, failing the test on a life-cycle error. */
export function add(
  doc: TeamDoc,
  input: Partial<NewDecision> & { answers?: Record<string, string | string[]> },
): Decision {
  const answers = input.answers ?? multiRegion;
  const r = recordDecision(doc, {
    title: 'Adopt a cluster mesh for region failover',
    recommendation: recommend(flow, answers),
    status: 'accepted',
    by: 'U1',
    byName: 'Ada Lovelace',
    now: day1,
    ...input,
    answers,
  });
  if (!r.ok) throw new Error(`cannot record: ${r.error.kind}`);
  return r.value;
}

/** Text a Slack user could type to break Markdown, HTML or YAML. */
export const HOSTILE =
  '<!channel> <script>alert(1)</script> [x](http://evil) ![i](http://evil/i.png) ](http://evil)\n# heading\n---\nstatus: hacked\n| a | b |';

/** A team whose records carry hostile text in every user-written field. */
export function hostileTeam(): TeamDoc {
  const doc = emptyTeam('T1');
  const first = add(doc, { title: `Mesh ${HOSTILE}`, byName: `Mallory ${HOSTILE}` });
  first.permalink = 'https://acme.slack.com/archives/C1/p1700000000000100';
  first.replies = [
    {
      ts: '1700000001.000100',
      user: 'U2',
      userName: `Eve\n# ${HOSTILE}`,
      text: HOSTILE,
      at: day1.toISOString(),
      deleted: false,
    },
  ];
  first.concerns = [{ id: 'c1', by: 'U3', byName: '---', text: HOSTILE, at: day1.toISOString() }];
  first.approvals = [{ by: 'U4', byName: `"quoted": yes\n- list`, at: day1.toISOString() }];
  add(doc, {
    title: `# ${HOSTILE}`,
    answers: oneCluster,
    chosen: ['service-mesh'],
    overrideReason: HOSTILE,
    supersedes: first.number,
    now: day2,
  });
  return doc;
}

type Token = { type: string; hLevel?: number; href?: string; src?: string; content?: string; children?: Token[] };
const require = createRequire(import.meta.url);
// adr-log's own Markdown parser (a dependency of the dev dependency), with raw HTML recognised so a test sees any.
const Remarkable = require('remarkable') as new (o: object) => { parse(s: string, env: object): Token[] };
const md = new Remarkable({ html: true });

/** Block and inline tokens of a Markdown body, flattened. */
export function tokens(markdown: string): Token[] {
  return md.parse(markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]);
}
