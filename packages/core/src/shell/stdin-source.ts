import type { ShellWord } from './shell-word.js';

/**
 * Where a command's standard input comes from, as far as the command line tells.
 * `undefined` stands for the input the whole line inherits from its executor (a terminal,
 * a pipe of the agent's own): nothing in the line says what it holds.
 */
export type StdinSource =
  /** A here-document or here-string: its text is in the line (`dynamic` when it expands at run time). */
  | { readonly kind: 'text'; readonly text: ShellWord }
  /** The output of the previous command of a pipeline; `text` when that output is known (`echo ls`). */
  | { readonly kind: 'pipe'; readonly text?: ShellWord }
  /** A file or file descriptor (`< script.sh`, `<&3`): its content is only known at run time. */
  | { readonly kind: 'file'; readonly path: ShellWord };

/** The script text a shell would read from `stdin`, or `undefined` when it cannot be known before it runs. */
export function knownStdinText(stdin: StdinSource | undefined): ShellWord | undefined {
  if (stdin === undefined || stdin.kind === 'file') return undefined;
  const text = stdin.text;
  return text === undefined || text.dynamic ? undefined : text;
}

/** Words for what a command reads from `stdin`, for a part that stands for a script read there. */
export function describeStdin(stdin: StdinSource | undefined): string {
  if (stdin === undefined) return '<the executor’s standard input>';
  if (stdin.kind === 'file') return `<${stdin.path.text}`;
  if (stdin.kind === 'pipe') return stdin.text === undefined ? '<a pipe>' : stdin.text.text.trim();
  return stdin.text.text.trim();
}
