import { useEffect, useState } from 'react';
import type { Explanation, RequestView, ShellPart } from '../api/api-types.js';
import { ScrollRegion } from '../common/scroll-region.js';
import { useApi } from '../session/use-session.js';
import { shellCommandOf } from './request-summary.js';

function argvParts(params: Readonly<Record<string, unknown>>): ShellPart[] | undefined {
  const argv = params.argv;
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) return undefined;
  return [{ argv: argv as string[], text: (argv as string[]).join(' '), wrappers: [], dynamic: false }];
}

/**
 * A shell command split into the parts the policy judged (pipelines, `&&`, `;`, subshells,
 * `sudo`, `env`), asked from the server's own parser through `POST /v1/evaluate`; falls back
 * to `params.argv` when the server cannot say.
 */
export function ShellCommandView({ request }: { readonly request: RequestView }) {
  const api = useApi();
  const command = shellCommandOf(request.bound);
  const [parts, setParts] = useState<readonly ShellPart[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  // The same payload asks once, however often the request reloads.
  const payload = JSON.stringify({
    action: request.bound.action,
    params: request.bound.params,
    context: request.bound.context,
  });
  useEffect(() => {
    if (command === undefined) return;
    const controller = new AbortController();
    const body = JSON.parse(payload) as { readonly params: Readonly<Record<string, unknown>> };
    api
      .post<Explanation>('/v1/evaluate', {
        body,
        signal: controller.signal,
      })
      .then((explanation) => {
        if (explanation.shell?.parts !== undefined) setParts(explanation.shell.parts);
        else if (explanation.shell?.error !== undefined) setProblem(explanation.shell.error);
        else setParts(argvParts(body.params));
      })
      .catch(() => {
        if (!controller.signal.aborted) setParts(argvParts(body.params));
      });
    return () => controller.abort();
  }, [api, command, payload]);

  if (command === undefined) return null;
  return (
    <section className="card" aria-labelledby="shell-title">
      <h2 id="shell-title">Shell command</h2>
      <ScrollRegion label="The command">
        <pre className="code command">{command}</pre>
      </ScrollRegion>
      {problem === undefined ? null : (
        <p className="notice notice-warning">The command could not be taken apart: {problem}</p>
      )}
      {parts === undefined ? null : (
        <>
          <p className="hint">
            It runs {parts.length === 1 ? 'one command' : `${parts.length} commands`}; the policy judged each:
          </p>
          <ol className="shell-parts" data-testid="shell-parts">
            {parts.map((part, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same command part may appear twice.
              <li key={index} className="shell-part">
                <span className="argv">
                  {part.argv.map((arg, at) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: arguments repeat; their place is their identity.
                    <code key={at} className={at === 0 ? 'arg arg-program' : 'arg'}>
                      {arg}
                    </code>
                  ))}
                </span>
                {part.wrappers.length > 0 ? (
                  <span className="badge badge-warning">via {part.wrappers.join(', ')}</span>
                ) : null}
                {part.dynamic ? (
                  <span className="badge badge-warning">expands at run time: cannot be checked fully</span>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
