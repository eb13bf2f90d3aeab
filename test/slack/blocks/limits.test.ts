import { describe, expect, it } from 'vitest';
import { recordDecision } from '../../../src/domain/machine/record.js';
import { startSession } from '../../../src/domain/machine/session.js';
import { CONTRACT_QUESTIONS } from '../../../src/engine/contract.js';
import type { Answers } from '../../../src/engine/flow.js';
import { getFlow } from '../../../src/engine/load.js';
import { recommend } from '../../../src/engine/recommend.js';
import { comparisonMessage } from '../../../src/slack/blocks/comparison.js';
import { decisionsMessage } from '../../../src/slack/blocks/decisions.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import { helpMessage, menuMessage } from '../../../src/slack/blocks/menu.js';
import { overrideModal, startModal } from '../../../src/slack/blocks/modals.js';
import { questionMessage } from '../../../src/slack/blocks/question.js';
import { recommendationMessage } from '../../../src/slack/blocks/recommendation.js';
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

const view = (answers: Answers, status: Session['status'] = 'open') => ({
  answers,
  answeredBy: Object.fromEntries(Object.keys(answers).map((q) => [q, { by: 'U0ALICE', at: now.toISOString() }])),
  status,
  answerRevs: {},
});

/** Every pains set worth rendering: none, each one alone, and all but none. */
const PAIN_SETS = [
  ['none'],
  ...CONTRACT_QUESTIONS.pains.filter((p) => p !== 'none').map((p) => [p]),
  CONTRACT_QUESTIONS.pains.filter((p) => p !== 'none'),
];

describe('question messages', () => {
  it('carry q:<id> and the contract option ids, for every question in every state, inside the limits', () => {
    const all: Answers = { clusters: 'multi-region', pains: ['mtls', 'canary', 'region-failover'], regulated: 'yes' };
    for (const q of flow.interview.questions) {
      const contract = CONTRACT_QUESTIONS[q.id as keyof typeof CONTRACT_QUESTIONS];
      const asked = questionMessage(flow, view(all), q.id);
      expect(checkMessage(asked), q.id).toEqual([]);
      const block = asked.blocks.find((b) => b.block_id === `q:${q.id}`) as Json | undefined;
      const els = (block?.elements ?? []) as Json[];
      if (q.kind === 'multi') {
        const boxes = els.find((e) => e.type === 'checkboxes') as { options: Json[]; initial_options?: Json[] };
        expect(boxes.options.map((o) => o.value)).toEqual(expect.arrayContaining([...contract]));
        if (q.id === 'pains') {
          expect(boxes.initial_options?.map((o) => o.value)).toEqual(['mtls', 'canary', 'region-failover']);
        }
        expect(els.find((e) => e.type === 'button')?.value).toBe('confirm');
      } else {
        expect(els.map((e) => e.value)).toEqual(expect.arrayContaining([...contract]));
      }
      const answered = { ...all, [q.id]: q.kind === 'multi' ? ['none'] : (q.options[0]?.id ?? '') };
      expect(checkMessage(questionMessage(flow, view(answered), q.id))).toEqual([]);
      expect(JSON.stringify(questionMessage(flow, view(answered), q.id).blocks)).toContain('<@U0ALICE> chose');
      const frozen = questionMessage(flow, view(answered, 'decided'), q.id);
      expect(frozen.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });

  it('a question that no longer applies says so and offers no choices', () => {
    const msg = questionMessage(flow, view({ clusters: 'one' }), 'cni');
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(msg.text).toContain('No longer asked');
    expect(checkMessage(msg)).toEqual([]);
  });

  it('a chosen button is marked and the action id carries the answer revision', () => {
    const msg = questionMessage(flow, { ...view({ clusters: 'one' }), answerRevs: { clusters: 7 } }, 'clusters');
    const els = (msg.blocks.find((b) => b.block_id === 'q:clusters') as unknown as { elements: Json[] }).elements;
    expect(els.map((e) => e.action_id)).toEqual([
      'answer:7:one',
      'answer:7:several-same-region',
      'answer:7:multi-region',
    ]);
    expect(els.map((e) => e.style)).toEqual(['primary', undefined, undefined]);
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
              }
    expect(checked).toBeGreaterThan(1000);
  });

  it('show primary, complements, reasons with the answers they came from, warnings and what was ruled out', () => {
    const answers: Answers = { clusters: 'one', pains: ['region-failover', 'none'], ops: 'none', services: '50-plus' };
    const rec = recommend(flow, answers);
    const msg = recommendationMessage(flow, { title: 'T', answers, recommendation: rec }, { kind: 'active' });
    const text = JSON.stringify(msg.blocks);
    expect(rec.warnings.length).toBeGreaterThan(0);
    expect(text).toContain('Watch out');
    for (const r of rec.reasons.slice(0, 3)) expect(text).toContain(r.because.slice(0, 30).replace(/"/g, '\\"'));
    expect(text).toContain('Who would run new infrastructure?');
    if (rec.notNow.length) expect(text).toContain('Ruled out for now');
    const actions = msg.blocks.find((b) => b.type === 'actions') as unknown as { elements: Json[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['decision:accept', 'decision:override']);
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
    expect(text).toContain('AWS App Mesh (service ended, commercial, checked 2026-11)');
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
