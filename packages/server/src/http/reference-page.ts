import type { OpenApiDocument } from './openapi-document.js';

// The browsable API reference at `/docs`: one self-contained HTML page rendered from the
// OpenAPI document. No script at all and no external resource (the CSP says so), so it works
// offline and gives an attacker who controls a schema description nothing to run.

/** The Content-Security-Policy the page is served with: inline styles, nothing else. */
export const REFERENCE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A schema as indented JSON, its `$ref`s turned into links to the schema section. */
function schemaHtml(schema: unknown): string {
  const text = escapeHtml(JSON.stringify(schema, null, 2) ?? 'null');
  return `<pre>${text.replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g,
    (_match, name: string) => `<a href="#schema-${name}">${name}</a>`,
  )}</pre>`;
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function parametersHtml(parameters: unknown): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return '';
  const rows = parameters.map((raw) => {
    const p = asRecord(raw);
    return `<tr><td><code>${escapeHtml(text(p.name))}</code></td><td>${escapeHtml(text(p.in))}</td><td>${
      p.required === true ? 'yes' : 'no'
    }</td><td>${schemaHtml(p.schema)}</td></tr>`;
  });
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${rows.join('')}</table>`;
}

function contentHtml(content: unknown): string {
  return Object.entries(asRecord(content))
    .map(([media, value]) => `<p><code>${escapeHtml(media)}</code></p>${schemaHtml(asRecord(value).schema)}`)
    .join('');
}

function operationHtml(method: string, path: string, raw: unknown): string {
  const op = asRecord(raw);
  const body = asRecord(op.requestBody);
  const responses = Object.entries(asRecord(op.responses))
    .map(([status, value]) => {
      const response = asRecord(value);
      return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(text(response.description))}${contentHtml(response.content)}</li>`;
    })
    .join('');
  const security = Array.isArray(op.security) && op.security.length === 0 ? ' <em>public</em>' : '';
  return `<section class="op" id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${security}</h3>
<p>${escapeHtml(text(op.summary))}</p>${op.description ? `<p>${escapeHtml(text(op.description))}</p>` : ''}
${parametersHtml(op.parameters)}
${op.requestBody ? `<h4>Request body${body.required === true ? ' (required)' : ''}</h4>${contentHtml(body.content)}` : ''}
<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

/** Renders the whole reference: every operation (method, path, summary, parameters, schemas) and every named schema. */
export function renderReferencePage(document: OpenApiDocument): string {
  const operations: string[] = [];
  const index: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = asRecord(item)[method];
      if (op === undefined) continue;
      operations.push(operationHtml(method, path, op));
      index.push(
        `<li><a href="#${escapeHtml(`${method}-${path}`)}">${method.toUpperCase()} ${escapeHtml(path)}</a> ${escapeHtml(text(asRecord(op).summary))}</li>`,
      );
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(schema)}</section>`,
    )
    .join('');
  const title = escapeHtml(`${document.info.title} ${document.info.version}`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
code,pre{font:13px ui-monospace,monospace}pre{background:#f4f5f7;padding:.5rem;overflow:auto;max-height:24rem}
.op{border-top:1px solid #d0d7de;padding-top:.5rem}.method{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#0969da}.post{color:#1a7f37}.put,.patch{color:#9a6700}.delete{color:#cf222e}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top;text-align:left}
</style></head><body>
<h1>${title}</h1><p>${escapeHtml(text(document.info.description))}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<h2>Operations</h2><ul>${index.join('')}</ul>${operations.join('')}
<h2>Schemas</h2>${schemas}
</body></html>`;
}
