import { type ASTNode, parse } from '@marcbachmann/cel-js';
import { isMap, isScalar, isSeq } from 'yaml';
import { PAYLOAD_CONTEXT_FIELDS } from '../approval/payload-hash.js';
import { readPolicyDocument } from './policy-document.js';
import { scalarSourceOffset } from './policy-scalar-offset.js';
import type { PolicyDiagnostic } from './policy-types.js';

// A rule may depend only on what Gatehouse verified (requester) or what the grant binds (action,
// params, the shell command drawn from them, the context fields the payload hash covers). Any
// other context field is the agent's own word: a rule reading it lets the agent pick its gate.

/** The kind of what a `when` expression reads: DESIGN §4's three kinds. */
export type FieldKind = 'verified' | 'bound' | 'claimed';

/** One reference a `when` expression makes to something the agent claims. */
export interface ClaimedReference {
  /** As written for people: `context.reason`, `context` (the whole map). */
  readonly field: string;
  /** 0-based offset of the reference in the expression. */
  readonly offset: number;
}

const BOUND_CONTEXT: ReadonlySet<string> = new Set(PAYLOAD_CONTEXT_FIELDS);

/** The kind of `context.<key>`: bound when the payload hash covers it, claimed otherwise. */
export function contextFieldKind(key: string): FieldKind {
  return BOUND_CONTEXT.has(key) ? 'bound' : 'claimed';
}

function children(node: ASTNode): ASTNode[] {
  const args = node.args as unknown;
  const found: ASTNode[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null && 'op' in value) found.push(value as ASTNode);
  };
  visit(args);
  return found;
}

/** The key a `.`, `.?`, `[]` or `[?]` node reads from its first operand, when written literally. */
function accessedKey(node: ASTNode): string | undefined {
  if (node.op === '.' || node.op === '.?') return node.args[1];
  if (node.op === '[]' || node.op === '[?]') {
    const key = node.args[1];
    return key.op === 'value' && typeof key.args === 'string' ? key.args : undefined;
  }
  return undefined;
}

function isContext(node: ASTNode): boolean {
  return node.op === 'id' && node.args === 'context';
}

/**
 * Every reference a CEL `when` expression makes to a claimed field: `context.<key>` for a key the
 * payload hash does not cover, and `context` used as a whole (`'reason' in context`,
 * `context[k]` with a computed key, `context.exists(…)`), which may read any of them. References
 * to `action`, `params`, `command`, `requester` and the bound context fields are fine. An
 * expression that does not parse has none here (the parser reports it).
 *
 * @example claimedReferences("context.reason.contains('urgent')") // [{ field: 'context.reason', offset: 0 }]
 */
export function claimedReferences(source: string): readonly ClaimedReference[] {
  let root: ASTNode;
  try {
    root = parse(source).ast;
  } catch {
    return [];
  }
  const found: ClaimedReference[] = [];
  const walk = (node: ASTNode): void => {
    const [first] = children(node);
    if (first !== undefined && isContext(first)) {
      const key = accessedKey(node);
      if (key === undefined) found.push({ field: 'context', offset: first.start });
      else if (contextFieldKind(key) === 'claimed')
        found.push({ field: `context.${key}`, offset: first.start });
      for (const child of children(node).slice(1)) walk(child);
      return;
    }
    if (isContext(node)) {
      found.push({ field: 'context', offset: node.start });
      return;
    }
    for (const child of children(node)) walk(child);
  };
  walk(root);
  return found;
}

/**
 * `claimed-field` diagnostics, with file:line:column, for every rule whose `when` reads a claimed
 * field. Run beside `parsePolicy` by `policy lint` and before a policy is applied.
 *
 * @example lintClaimedFields(text, 'policy.yaml').map((d) => `${d.position.line}:${d.position.column} ${d.message}`)
 */
export function lintClaimedFields(text: string, file: string): readonly PolicyDiagnostic[] {
  const { walker, root } = readPolicyDocument(text, file, '');
  if (!isMap(root)) return [];
  const rules = walker.resolve(root.get('rules', true));
  if (!isSeq(rules)) return [];
  const diagnostics: PolicyDiagnostic[] = [];
  rules.items.forEach((item, index) => {
    const rule = walker.resolve(item);
    if (!isMap(rule)) return;
    const when = walker.resolve(rule.get('when', true));
    if (!isScalar(when) || typeof when.value !== 'string') return;
    const name = walker.resolve(rule.get('name', true));
    const label =
      isScalar(name) && typeof name.value === 'string' ? `rule "${name.value}"` : `rules[${index}]`;
    for (const reference of claimedReferences(when.value)) {
      const offset = scalarSourceOffset(when, text, reference.offset);
      diagnostics.push({
        position: offset === undefined ? walker.position(when) : walker.positionAt(offset),
        code: 'claimed-field',
        message: `${label} depends on ${reference.field}, which the agent claims and nothing verifies or binds; expected a condition over requester, action, params, command or context.${PAYLOAD_CONTEXT_FIELDS.join('/')}`,
      });
    }
  });
  return Object.freeze(diagnostics);
}
