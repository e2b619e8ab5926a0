import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { PolicyYamlWalker, type YamlValue } from './policy-yaml-walker.js';

/** A policy file read as YAML: the walker that collects diagnostics and the root mapping, if any. */
export interface PolicyDocument {
  readonly walker: PolicyYamlWalker;
  /** The root mapping, or `undefined` when the file is not valid YAML, empty or not a mapping. */
  readonly root: YamlValue;
}

/**
 * Read policy text as one YAML document. YAML syntax errors, an empty file and a root
 * that is not a mapping are reported here; `emptyMessage` says what the file should hold.
 */
export function readPolicyDocument(text: string, file: string, emptyMessage: string): PolicyDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const walker = new PolicyYamlWalker(file, text, doc, lines);
  for (const error of doc.errors) {
    const [start] = error.pos;
    const message =
      error.code === 'DUPLICATE_KEY'
        ? `the key ${keyAt(text, start)}appears twice in one mapping; expected each key once`
        : `invalid YAML: ${error.message}`;
    walker.reportAt(walker.positionAt(start), 'yaml-syntax', message);
  }
  // A repeated key leaves a well-formed tree (the first occurrence stands), so keep walking
  // to report every other problem too; after any other syntax error the tree is a guess.
  if (doc.errors.some((error) => error.code !== 'DUPLICATE_KEY')) return { walker, root: undefined };
  const root = walker.resolve(doc.contents);
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
    walker.reportAt(walker.positionAt(0), 'empty-policy', emptyMessage);
    return { walker, root: undefined };
  }
  if (!isMap(root)) {
    walker.report(
      root,
      'not-a-mapping',
      `the policy is ${describeRoot(root)}; expected a mapping of keys such as rules`,
    );
    return { walker, root: undefined };
  }
  return { walker, root };
}

/** The key written at `offset`, quoted and followed by a space, or nothing when it is not a simple key. */
function keyAt(text: string, offset: number): string {
  const key = /^([^\s:#,{}[\]'"]+|"[^"\n]*"|'[^'\n]*')\s*:/.exec(text.slice(offset))?.[1];
  if (key === undefined) return '';
  return `${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`} `;
}

function describeRoot(root: YamlValue): string {
  return isScalar(root) ? 'a single value' : 'a list';
}
