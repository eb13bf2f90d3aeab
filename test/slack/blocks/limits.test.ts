import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../../src/domain/machine/record.js';
import { startSession } from '../../../src/domain/machine/session.js';
import { nextQuestion } from '../../../src/engine/answers.js';
import { CONTRACT_QUESTIONS } from '../../../src/engine/contract.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { comparisonMessage } from '../../../src/slack/blocks/comparison.js';
import { decisionsMessage } from '../../../src/slack/blocks/decisions.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import { helpMessage, menuMessage } from '../../../src/slack/blocks/menu.js';
import { overrideModal, startModal } from '../../../src/slack/blocks/modals.js';
import { interviewMessage } from '../../../src/slack/blocks/question.js';
import { recommendationMessage } from '../../../src/slack/blocks/recommendation.js';
import { detailsModal, detailsPage } from '../../../src/slack/blocks/recommendation-details.js';
import { rootMessage } from '../../../src/slack/blocks/root.js';
import { emptyTeam, type Session, type TeamDoc } from '../../../src/store/index.js';
import { checkMessage, checkView } from '../../support/block-kit.js';

const flow = getFlow();
const now = new Date('2026-11-20T10:00:00Z');
type Json = Record<string, unknown>;

/** A title at the length limit made only of characters that grow when escaped. */
const NASTY_TITLE = '<&>'.repeat(50);

function teamWith(decisions: number, open: number): TeamDoc {
  const doc = emptyTeam('T0HOME');
  const answers = { clusters: 'multi-region', pains: ['region-failover'] } as Answers;
  for (let i = 0; i < decisions; i++) {
    recordDecision(doc, {
      title: `${NASTY_TITLE}${i}`,
      answers,
      recommendation: recommend(flow, answers),
      status: 'accepted',
      by: 'U0ALICE',
      now,
    });
  }
  for (let i = 0; i < open; i++) {
    startSession(doc, {
      id: `s${i}`,
      startedBy: 'U0BOB',
      title: NASTY_TITLE,
      now,
      channel: 'C0MESH',
      threadTs: `1.${i}`,
    });
  }
  return doc;
}

const view = (
  answers: Answers,
  status: Session['status'] = 'open',
  extra: { editing?: string; version?: number } = {},
) => ({
  answers,
  status,
  version: extra.version ?? 3,
  answerRevs: {},
  ...(extra.editing ? { editing: extra.editing } : {}),
});

/** Every pains set worth rendering: none, each one alone, and all but none. */
const PAIN_SETS = [
  ['none'],
  ...CONTRACT_QUESTIONS.pains.filter((p) => p !== 'none').map((p) => [p]),
  CONTRACT_QUESTIONS.pains.filter((p) => p !== 'none'),
];

/** Every question answered along one path (each takes its last option; pains several). */
function finished(): Answers {
  let answers: Answers = { clusters: 'multi-region', pains: ['mtls', 'canary', 'region-failover'], regulated: 'yes' };
  for (let q = nextQuestion(flow, answers); q; q = nextQuestion(flow, answers)) {
    const last = q.options.at(-1)?.id ?? '';
    answers = { ...answers, [q.id]: q.kind === 'multi' ? [last] : last };
  }
  return answers;
}

/** Every element with an action id anywhere in a message (actions blocks and section accessories). */
const controls = (blocks: Json[]): Json[] =>
  blocks.flatMap((b) => [...((b.elements as Json[] | undefined) ?? []), ...(b.accessory ? [b.accessory as Json] : [])]);

describe('the interview message', () => {
  it('asks every question with q:<id> and the contract option ids (opened again, the answer marked), inside the limits', () => {
    const all = finished();
    for (const q of flow.interview.questions) {
      if (all[q.id] === undefined) continue;
      const contract = CONTRACT_QUESTIONS[q.id as keyof typeof CONTRACT_QUESTIONS];
      const asked = interviewMessage(flow, view(all, 'complete', { editing: q.id }));
      expect(checkMessage(asked), q.id).toEqual([]);
      // Only the question asked has choices: no other q: block is left behind.
      expect(asked.blocks.filter((b) => String(b.block_id).startsWith('q:')).map((b) => b.block_id)).toEqual([
        `q:${q.id}`,
      ]);
      const block = asked.blocks.find((b) => b.block_id === `q:${q.id}`) as Json | undefined;
      const els = (block?.elements ?? []) as Json[];
      if (q.kind === 'multi') {
        const boxes = els.find((e) => e.type === 'checkboxes') as { options: Json[]; initial_options?: Json[] };
        expect(boxes.options.map((o) => o.value)).toEqual(expect.arrayContaining([...contract]));
        expect(boxes.initial_options?.map((o) => o.value)).toEqual(all[q.id]);
        expect(els.find((e) => e.type === 'button')?.value).toBe('confirm');
      } else {
        expect(els.map((e) => e.value)).toEqual(expect.arrayContaining([...contract]));
        expect(els.find((e) => e.style === 'primary')?.value).toBe(all[q.id]);
      }
      expect(JSON.stringify(asked.blocks)).toContain('Changing an earlier answer');
    }
  });

  it('shows the answers so far as labelled lines above the next question, with one Change menu of the answered questions', () => {
    const answers: Answers = { clusters: 'multi-region', fleet: '2-5', services: '50-plus' };
    const msg = interviewMessage(flow, view(answers));
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('Clusters: *Clusters in several regions*');
    expect(text).toContain('Services: *50 or more*');
    expect(text).not.toContain('multi-region');
    const menu = controls(msg.blocks as unknown as Json[]).find((e) => e.type === 'static_select') as Json;
    expect((menu.options as Json[]).map((o) => o.value)).toEqual(['clusters', 'fleet', 'services']);
    expect(msg.blocks.find((b) => String(b.block_id).startsWith('q:'))?.block_id).toBe('q:pains');
    expect(text).toContain('Question 4 of at most');
  });

  it('collapses to the answers when complete (one menu left), and keeps no control once decided or closed', () => {
    const all = finished();
    const complete = interviewMessage(flow, view(all, 'complete'));
    expect(checkMessage(complete)).toEqual([]);
    expect(complete.blocks.some((b) => String(b.block_id).startsWith('q:'))).toBe(false);
    expect(controls(complete.blocks as unknown as Json[]).map((e) => e.type)).toEqual(['static_select']);
    for (const status of ['decided', 'abandoned'] as const) {
      const closed = interviewMessage(flow, view(all, status));
      expect(controls(closed.blocks as unknown as Json[])).toEqual([]);
      expect(JSON.stringify(closed.blocks)).toContain('Clusters: *Clusters in several regions*');
    }
  });

  it('marks the chosen button, and the action ids carry the answer revision (the boxes also the version drawn)', () => {
    const msg = interviewMessage(flow, {
      ...view({ clusters: 'one' }, 'open', { editing: 'clusters' }),
      answerRevs: { clusters: 7 },
    });
    const els = (msg.blocks.find((b) => b.block_id === 'q:clusters') as unknown as { elements: Json[] }).elements;
    expect(els.map((e) => e.action_id)).toEqual([
      'answer:7:one',
      'answer:7:several-same-region',
      'answer:7:multi-region',
    ]);
    expect(els.map((e) => e.style)).toEqual(['primary', undefined, undefined]);
    // The same multi-choice question drawn again after a change gets new boxes, so Slack drops unconfirmed ticks.
    const boxesAt = (version: number) =>
      (
        interviewMessage(flow, view({ clusters: 'one', services: '10-49' }, 'open', { version })).blocks.find(
          (b) => b.block_id === 'q:pains',
        ) as unknown as { elements: Json[] }
      ).elements.find((e) => e.type === 'checkboxes')?.action_id;
    expect(boxesAt(4)).not.toBe(boxesAt(5));
  });
});

describe('recommendation cards', () => {
  it('stay inside the limits for every combination of answers, in every state', () => {
    let checked = 0;
    const doc = teamWith(1, 0);
    const decision = doc.decisions[0];
    if (!decision) throw new Error('no decision');
    for (const clusters of CONTRACT_QUESTIONS.clusters)
      for (const services of CONTRACT_QUESTIONS.services)
        for (const pains of PAIN_SETS)
          for (const regulated of CONTRACT_QUESTIONS.regulated)
            for (const ops of CONTRACT_QUESTIONS.ops)
              for (const overhead of CONTRACT_QUESTIONS.overhead) {
                const answers: Answers = { clusters, services, pains, regulated, ops, overhead, deploys: 'daily' };
                const input = { title: NASTY_TITLE, answers, recommendation: recommend(flow, answers) };
                for (const state of [
                  { kind: 'active' },
                  { kind: 'superseded' },
                  { kind: 'decided', decision },
                ] as const) {
                  const msg = recommendationMessage(flow, input, state);
                  expect(checkMessage(msg), JSON.stringify(answers)).toEqual([]);
                  checked++;
                }
                // Its Details pages too: within a modal's limits whatever the answers and the title.
                const rec = input.recommendation;
                const where = { teamId: 'T0HOME', channel: 'C0MESH', threadTs: '1.1' };
                for (const view of [
                  detailsModal(flow, NASTY_TITLE, answers, rec, where),
                  detailsPage(flow, 'tools', answers, rec),
                  detailsPage(flow, 'ruled-out', answers, rec),
                ])
                  expect(checkView(view), JSON.stringify(answers)).toEqual([]);
              }
    expect(checked).toBeGreaterThan(1000);
  });

  it('lead with what to do, three reasons with their answers, the top warning and the buttons; the rest is in Details', () => {
    const answers: Answers = { clusters: 'one', pains: ['region-failover', 'none'], ops: 'none', services: '50-plus' };
    const rec = recommend(flow, answers);
    const msg = recommendationMessage(flow, { title: 'T', answers, recommendation: rec }, { kind: 'active' });
    const text = JSON.stringify(msg.blocks);
    expect(rec.warnings.length).toBeGreaterThan(1);
    expect(text).toContain(`:warning: ${rec.warnings[0]?.slice(0, 30).replace(/"/g, '\\"')}`);
    expect(text).toContain(`+${rec.warnings.length - 1} more warning`);
    expect(text).toContain('Who would run new infrastructure? → Nobody yet');
    expect(text).not.toContain('Ruled out for now');
    const actions = msg.blocks.find((b) => b.type === 'actions') as unknown as { elements: Json[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'decision:accept',
      'decision:override',
      'concern:raise',
      'deadline:open',
      'details:open',
    ]);
    const where = { teamId: 'T0HOME', channel: 'C0MESH', threadTs: '1.1' };
    const details = JSON.stringify(detailsModal(flow, 'T', answers, rec, where).blocks);
    for (const w of rec.warnings) expect(details).toContain(w.slice(0, 30).replace(/"/g, '\\"'));
    expect(details).toContain('"action_id":"details:ruled-out"');
    const ruledOut = JSON.stringify(detailsPage(flow, 'ruled-out', answers, rec).blocks);
    for (const id of rec.notNow) expect(ruledOut).toContain(flow.patternById.get(id)?.name ?? id);
  });
});

describe('other surfaces', () => {
  it('comparison cards of any set of patterns', () => {
    const ids = flow.patterns.map((p) => p.id);
    expect(checkMessage(comparisonMessage(flow, ids))).toEqual([]);
    for (const id of ids) expect(checkMessage(comparisonMessage(flow, [id]))).toEqual([]);
    const two = comparisonMessage(flow, ['service-mesh', 'cluster-mesh']);
    const fields = two.blocks.filter((b) => b.type === 'section' && 'fields' in b);
    expect(fields).toHaveLength(2);
    const text = JSON.stringify(two.blocks);
    for (const word of ['L7', 'Shines when', 'Not when', 'Pros', 'Cons', 'Example tools']) expect(text).toContain(word);
    expect(text).toContain('Cilium ClusterMesh (GA, checked 2026-12)');
    // A service that has ended is never offered as an example (issue #17).
    expect(text).not.toContain('AWS App Mesh');
  });

  it('root, menu, help and the decision log, even for a long history', () => {
    const big = teamWith(300, 40);
    expect(checkMessage(decisionsMessage(flow, big))).toEqual([]);
    expect(checkMessage(decisionsMessage(flow, emptyTeam('T0HOME')))).toEqual([]);
    expect(checkMessage(menuMessage())).toEqual([]);
    expect(checkMessage(helpMessage(flow))).toEqual([]);
    expect(checkMessage(helpMessage(flow, { given: '<!channel>', suggestion: 'start' }))).toEqual([]);
    expect(JSON.stringify(helpMessage(flow, { given: '<!channel>' }))).not.toContain('<!channel>');
    const session = big.sessions[0];
    if (!session) throw new Error('no session');
    expect(checkMessage(rootMessage(flow, session))).toEqual([]);
    expect(JSON.stringify(rootMessage(flow, session))).not.toMatch(/<&>/);
  });

  it('the Home tab and both modals', () => {
    expect(checkView(homeView(flow, teamWith(300, 40)))).toEqual([]);
    // With the organisation's section and a great many conflicts, still within Block Kit's limits.
    const side = { teamId: 'T0ANOTHERTEAM', number: 9999, title: 'x'.repeat(150), chosen: ['service-mesh'] };
    const org = {
      records: [],
      teams: 40,
      conflicts: Array.from({ length: 500 }, (_, i) => ({
        scope: `tag-${i}`,
        a: side,
        b: { ...side, chosen: ['cluster-mesh'] },
      })),
    };
    expect(checkView(homeView(flow, teamWith(300, 40), undefined, undefined, org))).toEqual([]);
    expect(checkView(homeView(flow, emptyTeam('T0HOME'), 'Could not post in <#C1>'))).toEqual([]);
    expect(checkView(startModal())).toEqual([]);
    expect(checkView(startModal('C0MESH'))).toEqual([]);
    const rec = recommend(flow, {});
    const modal = overrideModal(flow, rec, { teamId: 'T0HOME', channel: 'C0MESH', threadTs: '1.1', cardTs: '1.2' });
    expect(checkView(modal)).toEqual([]);
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual({
      teamId: 'T0HOME',
      channel: 'C0MESH',
      threadTs: '1.1',
      cardTs: '1.2',
    });
  });
});

describe('the limits validator itself', () => {
  it('catches what Slack would reject', () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    expect(checkMessage({ text: 't', blocks: Array(51).fill(section) })).toContain('51 blocks > 50');
    expect(checkMessage({ blocks: [section] })).toContain('message without fallback text');
    expect(
      checkMessage({ text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }),
    ).toHaveLength(1);
    expect(
      checkMessage({
        text: 't',
        blocks: [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }],
      }),
    ).toHaveLength(1);
    expect(
      checkMessage({
        text: 't',
        blocks: [
          {
            type: 'actions',
            block_id: 'a',
            elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
          },
          { ...section, block_id: 'a' },
        ],
      }),
    ).toEqual(expect.arrayContaining(['duplicate block_id', expect.stringContaining('text 76 > 75')]));
    expect(
      checkView({ type: 'modal', title: { type: 'plain_text', text: 'A title that is far too long' }, blocks: [] }),
    ).toHaveLength(1);
    expect(checkMessage({ text: 't', link_names: true })).toEqual(['link_names must not be set']);
  });
});
