import { Fragment } from 'react';
import type { PolicyIssue } from '../api/api-types.js';
import { ScrollRegion } from '../common/scroll-region.js';

/**
 * A policy source with line numbers; each issue is shown right under its line, marked, and
 * each line can be linked to (`#<idPrefix>-L12`).
 */
export function SourceView({
  source,
  label,
  idPrefix,
  issues = [],
}: {
  readonly source: string;
  readonly label: string;
  readonly idPrefix: string;
  readonly issues?: readonly PolicyIssue[];
}) {
  const lines = source.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const byLine = new Map<number, PolicyIssue[]>();
  for (const issue of issues) {
    // An issue past the end (e.g. "unexpected end") is shown on the last line.
    const line = Math.min(Math.max(issue.line, 1), lines.length);
    byLine.set(line, [...(byLine.get(line) ?? []), issue]);
  }
  return (
    <ScrollRegion label={label} className="source-region">
      <div className="source" data-testid={`${idPrefix}-source`}>
        {lines.map((text, index) => {
          const number = index + 1;
          const here = byLine.get(number);
          return (
            <Fragment key={number}>
              <div
                id={`${idPrefix}-L${number}`}
                className={`source-line${here === undefined ? '' : ' source-line-error'}`}
                data-line={number}
              >
                <span className="source-number" aria-hidden="true">
                  {number}
                </span>
                <code className="source-text">{text === '' ? ' ' : text}</code>
              </div>
              {here?.map((issue) => (
                <p
                  key={`${issue.line}:${issue.column}:${issue.code}`}
                  className="source-issue"
                  data-issue-line={number}
                >
                  Line {issue.line}, column {issue.column}: {issue.message}{' '}
                  <span className="hint">({issue.code})</span>
                </p>
              ))}
            </Fragment>
          );
        })}
      </div>
    </ScrollRegion>
  );
}
