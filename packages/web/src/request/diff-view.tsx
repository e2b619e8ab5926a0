import { type DiffLine, diffLines } from '../common/line-diff.js';
import { ScrollRegion } from '../common/scroll-region.js';

const MARKS: Readonly<Record<DiffLine['kind'], { readonly sign: string; readonly words: string }>> = {
  same: { sign: ' ', words: 'unchanged' },
  added: { sign: '+', words: 'added' },
  removed: { sign: '−', words: 'removed' },
};

/** A line diff of two texts, numbered on both sides, readable without colour. */
export function DiffView({
  before,
  after,
  label,
}: {
  readonly before: string;
  readonly after: string;
  readonly label: string;
}) {
  const lines = diffLines(before, after);
  const changed = lines.filter((line) => line.kind !== 'same').length;
  return (
    <div className="diff">
      <p className="hint">
        {changed === 0 ? 'No difference.' : `${changed} line${changed === 1 ? '' : 's'} changed.`}
      </p>
      <ScrollRegion label={label}>
        <table className="diff-table">
          <caption className="visually-hidden">{label}</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">Old line</th>
              <th scope="col">New line</th>
              <th scope="col">Change</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr
                key={`${line.kind}:${line.oldLine ?? ''}:${line.newLine ?? ''}`}
                className={`diff-${line.kind}`}
              >
                <td className="diff-number">{line.oldLine ?? ''}</td>
                <td className="diff-number">{line.newLine ?? ''}</td>
                <td className="diff-sign">
                  <span aria-hidden="true">{MARKS[line.kind].sign}</span>
                  <span className="visually-hidden">{MARKS[line.kind].words}</span>
                </td>
                <td className="diff-text">
                  <code>{line.text}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}

/** A param value as diffable text. */
export function diffableText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
