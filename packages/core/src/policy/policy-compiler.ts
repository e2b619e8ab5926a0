import { type ActionGlob, compileActionGlob, matchSegments } from './action-glob.js';
import { type CompiledCondition, compileCondition } from './cel-condition.js';
import { compileCommandGlob } from './command-glob.js';
import { type CompiledCommandPattern, compileCommandPattern } from './command-matcher.js';
import type { Policy, Rule } from './policy-types.js';

/** A rule prepared for the hot path: sets instead of lists, globs and CEL compiled once. */
export interface CompiledRule {
  /** Position in the policy's rule list: decisions list matched rules in this order. */
  readonly index: number;
  readonly rule: Rule;
  readonly globs: readonly ActionGlob[];
  readonly environments?: ReadonlySet<string>;
  readonly teams?: ReadonlySet<string>;
  readonly requesters?: ReadonlySet<string>;
  readonly agents?: ReadonlySet<string>;
  readonly commands?: readonly RegExp[];
  readonly commandPatterns?: readonly CompiledCommandPattern[];
  readonly condition?: CompiledCondition;
  readonly outcome: 'allow' | 'deny' | 'require';
}

/** A policy version compiled into an index by action-name segments. */
export interface CompiledPolicy {
  readonly version: string;
  readonly policy: Policy;
  readonly rules: readonly CompiledRule[];
  /** The rules whose globs match an action name; memoised per name, bounded. */
  candidatesFor(action: string): readonly CompiledRule[];
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** Rules with a glob whose literal prefix ends at this node. */
  readonly rules: CompiledRule[];
}

const CANDIDATE_CACHE_SIZE = 4096;

function newNode(): TrieNode {
  return { children: new Map(), rules: [] };
}

function setOf(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return values === undefined ? undefined : new Set(values);
}

function compileRule(rule: Rule, index: number): CompiledRule {
  let condition: CompiledCondition | undefined;
  if (rule.when !== undefined) {
    const compiled = compileCondition(rule.when);
    // The parser rejects invalid CEL; reaching this means the AST was built by hand.
    if (!compiled.ok) throw new Error(`rule "${rule.name}": invalid when: ${compiled.error.message}`);
    condition = compiled.condition;
  }
  const { match } = rule;
  return {
    index,
    rule,
    globs: match.actions.map(compileActionGlob),
    environments: setOf(match.environments),
    teams: setOf(match.teams),
    requesters: setOf(match.requesters),
    agents: setOf(match.agents),
    commands: match.commands?.map(compileCommandGlob),
    commandPatterns: match.commandPatterns?.map(compileCommandPattern),
    condition,
    outcome: rule.outcome.kind,
  };
}

/**
 * Compile a policy version once. Each glob is filed under its literal leading segments,
 * so finding the rules for an action walks at most as many trie nodes as the name has
 * segments, whatever the size of the policy.
 *
 * @example const compiled = compilePolicy(policy, versionHash); evaluateAction(compiled, input)
 */
export function compilePolicy(policy: Policy, version: string): CompiledPolicy {
  const rules = policy.rules.map(compileRule);
  const exact = new Map<string, CompiledRule[]>();
  const root = newNode();
  for (const rule of rules) {
    for (const glob of rule.globs) {
      if (glob.literalPrefix.length === glob.segments.length) {
        const list = exact.get(glob.source) ?? [];
        if (list.at(-1) !== rule) list.push(rule);
        exact.set(glob.source, list);
        continue;
      }
      let node = root;
      for (const segment of glob.literalPrefix) {
        let child = node.children.get(segment);
        if (child === undefined) {
          child = newNode();
          node.children.set(segment, child);
        }
        node = child;
      }
      if (node.rules.at(-1) !== rule) node.rules.push(rule);
    }
  }

  const cache = new Map<string, readonly CompiledRule[]>();

  function lookup(action: string): readonly CompiledRule[] {
    const segments = action.split('.');
    const found = new Set<CompiledRule>(exact.get(action));
    let node: TrieNode | undefined = root;
    for (let depth = 0; node !== undefined; depth++) {
      for (const rule of node.rules) {
        if (!found.has(rule) && rule.globs.some((glob) => matchSegments(glob, segments))) found.add(rule);
      }
      const segment = segments[depth];
      node = segment === undefined ? undefined : node.children.get(segment);
    }
    return Object.freeze([...found].sort((a, b) => a.index - b.index));
  }

  return Object.freeze({
    version,
    policy,
    rules: Object.freeze(rules),
    candidatesFor(action: string): readonly CompiledRule[] {
      let candidates = cache.get(action);
      if (candidates === undefined) {
        candidates = lookup(action);
        if (cache.size >= CANDIDATE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(action, candidates);
      }
      return candidates;
    },
  });
}
