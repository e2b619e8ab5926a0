import { type ActionInput, actionNameProblem, type Principal, type Role } from '@gatehouse/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';

/** Where something is in the tests file, 1-based. */
export interface TestFilePosition {
  readonly line: number;
  readonly column: number;
}

/** One case of a `policy test` file: an action and the decision it must get. */
export interface PolicyTestCase {
  readonly name: string;
  readonly input: ActionInput;
  readonly expect: 'allow' | 'deny' | 'require';
  /** Rules that must be among the matched ones. */
  readonly rules: readonly string[];
  readonly position: TestFilePosition;
}

/** A problem in the tests file itself. */
export interface TestFileProblem {
  readonly position: TestFilePosition;
  readonly message: string;
}

/** The cases, or every problem found in the file. */
export type PolicyTestFile =
  | { readonly ok: true; readonly cases: readonly PolicyTestCase[] }
  | { readonly ok: false; readonly problems: readonly TestFileProblem[] };

const KEYS = ['name', 'action', 'params', 'context', 'requester', 'expect', 'rules'] as const;
const OUTCOMES = ['allow', 'deny', 'require'] as const;
const ROLES: readonly Role[] = ['user', 'moderator', 'admin'];

class ProblemCollector {
  private readonly found: TestFileProblem[] = [];

  constructor(private readonly lines: LineCounter) {}

  at(node: Node | null | undefined, fallback: TestFilePosition): TestFilePosition {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  add(position: TestFilePosition, message: string): undefined {
    this.found.push({ position, message });
    return undefined;
  }

  /** Every problem, in file order. */
  get problems(): readonly TestFileProblem[] {
    return [...this.found].sort(
      (a, b) => a.position.line - b.position.line || a.position.column - b.position.column,
    );
  }
}

function plainString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function parseRequester(
  node: unknown,
  where: TestFilePosition,
  problems: ProblemCollector,
): Principal | undefined {
  if (node === undefined) return { kind: 'agent', id: 'cli', teams: [] };
  const text = plainString(node);
  if (text !== undefined) {
    const match = /^(agent|user):([A-Za-z0-9_.@-]+)$/.exec(text);
    if (match === null)
      return problems.add(where, `requester: expected agent:<id> or user:<id>, got "${text}"`);
    const kind = match[1] as 'agent' | 'user';
    return { kind, id: match[2] as string, teams: [], ...(kind === 'user' ? { role: 'user' as const } : {}) };
  }
  const value = isMap(node) ? (node.toJSON() as Record<string, unknown>) : undefined;
  const kind = value?.kind ?? 'agent';
  const teams = value?.teams ?? [];
  if (
    value === undefined ||
    (kind !== 'agent' && kind !== 'user') ||
    typeof value.id !== 'string' ||
    !Array.isArray(teams) ||
    !teams.every((team) => typeof team === 'string') ||
    (value.role !== undefined && !ROLES.includes(value.role as Role)) ||
    (value.owner !== undefined && typeof value.owner !== 'string')
  ) {
    return problems.add(
      where,
      'requester: expected "agent:<id>", "user:<id>" or { kind: agent|user, id, role?, teams?: [..], owner? }',
    );
  }
  return {
    kind,
    id: value.id,
    teams,
    ...(kind === 'user' ? { role: (value.role as Role | undefined) ?? 'user' } : {}),
    ...(typeof value.owner === 'string' ? { owner: value.owner } : {}),
  };
}

function parseObject(key: string, node: unknown, where: TestFilePosition, problems: ProblemCollector) {
  if (node === undefined) return {};
  if (!isMap(node)) return problems.add(where, `${key}: expected a mapping`);
  return node.toJSON() as Record<string, unknown>;
}

function parseCase(item: YAMLMap, index: number, problems: ProblemCollector, start: TestFilePosition) {
  const position = problems.at(item as Node, start);
  const fields = new Map<string, { value: unknown; position: TestFilePosition }>();
  for (const pair of item.items) {
    const key = plainString(pair.key);
    const keyPosition = problems.at(pair.key as Node, position);
    if (key === undefined || !(KEYS as readonly string[]).includes(key)) {
      problems.add(
        keyPosition,
        `unknown key ${key === undefined ? '' : `"${key}" `}(expected ${KEYS.join(', ')})`,
      );
      continue;
    }
    fields.set(key, { value: pair.value, position: problems.at(pair.value as Node, keyPosition) });
  }
  const field = (key: string) => fields.get(key);
  const name = plainString(field('name')?.value) ?? `case ${index + 1}`;
  if (field('name') !== undefined && plainString(field('name')?.value) === undefined) {
    problems.add(field('name')?.position ?? position, 'name: expected a string');
  }
  const action = plainString(field('action')?.value);
  const actionProblem =
    action === undefined ? 'expected an action name such as shell.execute' : actionNameProblem(action);
  if (actionProblem !== undefined) {
    problems.add(field('action')?.position ?? position, `${name}: action: ${actionProblem}`);
  }
  const expect = plainString(field('expect')?.value);
  if (expect === undefined || !(OUTCOMES as readonly string[]).includes(expect)) {
    problems.add(field('expect')?.position ?? position, `${name}: expect: expected allow, deny or require`);
  }
  const rulesNode = field('rules')?.value;
  const rules =
    rulesNode === undefined ? [] : isSeq(rulesNode) ? rulesNode.items.map(plainString) : [undefined];
  if (rules.some((rule) => rule === undefined)) {
    problems.add(field('rules')?.position ?? position, `${name}: rules: expected a list of rule names`);
  }
  const params = parseObject(
    'params',
    field('params')?.value,
    field('params')?.position ?? position,
    problems,
  );
  const context = parseObject(
    'context',
    field('context')?.value,
    field('context')?.position ?? position,
    problems,
  );
  const requester = parseRequester(
    field('requester')?.value,
    field('requester')?.position ?? position,
    problems,
  );
  if (action === undefined || expect === undefined || !params || !context || !requester) return undefined;
  return {
    name,
    input: { action, params, context, requester },
    expect: expect as PolicyTestCase['expect'],
    rules: rules as string[],
    position,
  };
}

/**
 * Reads a `policy test` file: a YAML list of cases `{ name, action, params?, context?,
 * requester?, expect: allow|deny|require, rules?: [names that must match] }`. Every problem is
 * reported with its line and column, as `policy lint` does for policies.
 */
export function parsePolicyTests(text: string): PolicyTestFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = new ProblemCollector(lines);
  const start = { line: 1, column: 1 };
  for (const error of document.errors) {
    const [first] = error.linePos ?? [];
    problems.add(
      first === undefined ? start : { line: first.line, column: first.col },
      error.message.split('\n')[0] ?? '',
    );
  }
  if (problems.problems.length > 0) return { ok: false, problems: problems.problems };
  const root = document.contents;
  if (!isSeq(root)) {
    problems.add(
      problems.at(root as Node | null, start),
      'expected a list of test cases (- name: …, action: …, expect: …)',
    );
    return { ok: false, problems: problems.problems };
  }
  const cases: PolicyTestCase[] = [];
  const names = new Set<string>();
  root.items.forEach((item, index) => {
    if (!isMap(item)) {
      problems.add(problems.at(item as Node, start), `case ${index + 1}: expected a mapping`);
      return;
    }
    const parsed = parseCase(item, index, problems, start);
    if (parsed === undefined) return;
    if (names.has(parsed.name)) problems.add(parsed.position, `"${parsed.name}": another case has this name`);
    names.add(parsed.name);
    cases.push(parsed);
  });
  if (problems.problems.length > 0) return { ok: false, problems: problems.problems };
  return { ok: true, cases };
}
