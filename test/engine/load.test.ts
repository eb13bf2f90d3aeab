import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_FLOWS_DIR, FlowError, loadFlow } from '../../src/engine/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of flows/ with one file changed by `edit`. */
// biome-ignore lint/suspicious/noExplicitAny: the tests reach into parsed YAML of any shape to break it
function brokenFlows(file: string, edit: (doc: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-flows-'));
  dirs.push(dir);
  cpSync(DEFAULT_FLOWS_DIR, dir, { recursive: true });
  const doc = parse(readFileSync(join(dir, file), 'utf8'));
  edit(doc);
  writeFileSync(join(dir, file), stringify(doc));
  return dir;
}

function issuesOf(dir: string): FlowError['issues'] {
  try {
    loadFlow(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(FlowError);
    return (err as FlowError).issues;
  }
  throw new Error('loadFlow accepted a broken flow');
}

describe('loadFlow', () => {
  it('loads the shipped flows with every contract question and pattern', () => {
    const flow = loadFlow();
    expect(flow.interview.questions.map((q) => q.id)).toEqual(
      expect.arrayContaining([
        'clusters',
        'services',
        'pains',
        'regulated',
        'deploys',
        'ops',
        'overhead',
        'cni',
        'l7_between_clusters',
      ]),
    );
    expect([...flow.patternById.keys()].sort()).toEqual(
      ['cluster-mesh', 'federation', 'multi-cluster-without-mesh', 'plain-kubernetes', 'service-mesh'].sort(),
    );
  });

  it('names the file and field when a required field is missing', () => {
    const dir = brokenFlows('patterns.yaml', (d) => {
      delete d.patterns[1].cons;
    });
    const issues = issuesOf(dir);
    expect(issues).toContainEqual(expect.objectContaining({ path: 'patterns[1].cons' }));
    expect(issues[0]?.file).toMatch(/patterns\.yaml$/);
  });

  it('rejects a rule that names an option its question does not have', () => {
    const dir = brokenFlows('rules.yaml', (d) => {
      d.rules[0].when = { question: 'clusters', anyOf: ['two'] };
    });
    const issues = issuesOf(dir);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'rules[0].when.anyOf[0]',
        message: expect.stringContaining('unknown option "two"'),
      }),
    );
  });

  it('rejects duplicate question ids', () => {
    const dir = brokenFlows('interview.yaml', (d) => {
      d.questions[1].id = 'clusters';
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('duplicate question id "clusters"') }),
    );
  });

  it('rejects duplicate rule ids', () => {
    const dir = brokenFlows('rules.yaml', (d) => {
      d.rules[1].id = d.rules[0].id;
    });
    expect(issuesOf(dir)).toContainEqual(expect.objectContaining({ path: 'rules[0].id' }));
  });

  it('rejects a `when` on an unknown question', () => {
    const dir = brokenFlows('interview.yaml', (d) => {
      d.questions.at(-1).when = { question: 'cloud', noneOf: ['aws'] };
    });
    const issues = issuesOf(dir);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/^questions\[\d+\]\.when\.question$/),
        message: 'unknown question "cloud"',
      }),
    );
  });

  it('rejects a `when` that looks at a later question', () => {
    const dir = brokenFlows('interview.yaml', (d) => {
      d.questions[0].when = { question: 'services', anyOf: ['50-plus'] };
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({
        path: 'questions[0].when.question',
        message: expect.stringContaining('not asked before'),
      }),
    );
  });

  it('rejects a value of the wrong type', () => {
    const dir = brokenFlows('rules.yaml', (d) => {
      d.rules[2].weight = 'heavy';
    });
    expect(issuesOf(dir)).toContainEqual(expect.objectContaining({ path: 'rules[2].weight' }));
  });

  it('rejects a rule for an unknown pattern and a removed contract option', () => {
    const dir = brokenFlows('rules.yaml', (d) => {
      d.rules[0].pattern = 'mesh-of-meshes';
    });
    expect(issuesOf(dir)).toContainEqual(expect.objectContaining({ path: 'rules[0].pattern' }));
    const dir2 = brokenFlows('interview.yaml', (d) => {
      d.questions[0].options = d.questions[0].options.filter((o: { id: string }) => o.id !== 'multi-region');
    });
    expect(issuesOf(dir2)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('contract option "multi-region"') }),
    );
  });

  it('reports YAML syntax errors with the file name instead of a stack trace', () => {
    const dir = brokenFlows('interview.yaml', () => undefined);
    writeFileSync(join(dir, 'interview.yaml'), 'questions: [\n  - id: x\n');
    const issues = issuesOf(dir);
    expect(issues[0]?.file).toMatch(/interview\.yaml$/);
    expect(issues[0]?.message).toMatch(/not valid YAML/);
  });

  it('formats every issue as file: path: message', () => {
    const dir = brokenFlows('patterns.yaml', (d) => {
      d.patterns[0].shines = [];
    });
    expect(() => loadFlow(dir)).toThrow(/patterns\.yaml: patterns\[0\]\.shines: /);
  });

  it('rejects a tool catalogue that drops a contract tool, naming the file and field', () => {
    const dir = brokenFlows('tools.yaml', (d) => {
      d.tools = d.tools.filter((t: { id: string }) => t.id !== 'linkerd');
      d.choices = d.choices.filter((c: { tool: string }) => c.tool !== 'linkerd');
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({
        file: expect.stringMatching(/tools\.yaml$/),
        path: 'tools',
        message: expect.stringContaining('"linkerd"'),
      }),
    );
  });

  it('refuses a rule that would offer an archived tool', () => {
    const dir = brokenFlows('tools.yaml', (d) => {
      d.choices.push({ id: 'offer-kubefed', tool: 'kubefed', effect: 'support', because: 'x' });
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('"kubefed" is archived') }),
    );
  });

  it('rejects a tool with a status outside the catalogue’s list and a date that is not a date', () => {
    const dir = brokenFlows('tools.yaml', (d) => {
      d.tools[0].status = 'stable';
      d.tools[1].checked = 'last week';
    });
    const paths = issuesOf(dir).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['tools[0].status', 'tools[1].checked']));
  });

  it('rejects a checklist item whose tool belongs to another pattern', () => {
    const dir = brokenFlows('checklist.yaml', (d) => {
      d.items[0].tool = 'karmada';
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({ path: 'items[0].tool', message: expect.stringContaining('belongs to "federation"') }),
    );
  });

  it('requires every layer to have a checklist item that always applies', () => {
    const dir = brokenFlows('checklist.yaml', (d) => {
      d.items = d.items.filter((c: { pattern: string }) => c.pattern !== 'federation');
    });
    expect(issuesOf(dir)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('pattern "federation" needs at least one item') }),
    );
  });

  it('stops on a tool whose capabilities are missing or not capabilities, naming tools.yaml and the field', () => {
    const dir = brokenFlows('tools.yaml', (d) => {
      delete d.tools[0].can.spansClusters;
      d.tools[1].can.vms = 'maybe';
      d.tools[2].can.platforms = ['digitalocean'];
    });
    const issues = issuesOf(dir);
    expect(issues.every((i) => /tools\.yaml$/.test(i.file))).toBe(true);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['tools[0].can.spansClusters', 'tools[1].can.vms']),
    );
    const dir2 = brokenFlows('tools.yaml', (d) => {
      d.tools[2].can.platforms = ['digitalocean'];
    });
    expect(issuesOf(dir2)).toContainEqual(
      expect.objectContaining({ path: 'tools[2].can.platforms[0]', message: 'unknown platform "digitalocean"' }),
    );
  });

  it('stops on a capability need, a mode or a one-path rule that names what does not exist', () => {
    const tools = brokenFlows('tools.yaml', (d) => {
      d.needs[0].capability = 'teleport';
      d.modes.push({ tool: 'linkerd', mode: 'ambient', because: 'x' });
    });
    const paths = issuesOf(tools).map((i) => i.path);
    expect(paths).toContain('needs[0].capability');
    const modes = brokenFlows('tools.yaml', (d) => {
      d.modes.push({ tool: 'linkerd', mode: 'ambient', because: 'x' });
    });
    expect(issuesOf(modes)).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('"linkerd" cannot run in ambient mode') }),
    );
    const rules = brokenFlows('rules.yaml', (d) => {
      d.onePath[0].drop = 'mesh-of-meshes';
      d.lighterFirst = d.lighterFirst.slice(1);
    });
    expect(issuesOf(rules)).toContainEqual(expect.objectContaining({ path: 'lighterFirst' }));
    expect(issuesOf(rules)).toContainEqual(
      expect.objectContaining({ path: 'onePath[0].drop', message: 'unknown pattern "mesh-of-meshes"' }),
    );
  });

  it('rejects an ask condition on a later question', () => {
    const dir = brokenFlows('interview.yaml', (d) => {
      d.questions[0].ask = { question: 'deploys', anyOf: ['daily'] };
    });
    expect(issuesOf(dir)).toContainEqual(expect.objectContaining({ path: 'questions[0].ask.question' }));
  });
});
