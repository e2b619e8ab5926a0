import { summarizeAction } from '@gatehouse/core';
import { describe, expect, it } from 'vitest';
import { aRequest } from '../storage/storage-fixtures.test-support.js';
import { composeReviewEmail, escapeHtml, requestPageUrl } from './review-email.js';

describe('composeReviewEmail', () => {
  const request = aRequest({ id: 'req/1 x', params: { command: 'echo "<b>hi</b>"' } });

  it('links to the plain request page, the id encoded', () => {
    expect(requestPageUrl('https://gh.example.com/', 'req/1 x')).toBe(
      'https://gh.example.com/requests/req%2F1%20x',
    );
  });

  it('escapes everything the HTML shows, model text included', () => {
    const summary = {
      ...summarizeAction(request),
      text: 'Fine. <a href="https://evil.example">Approve</a>',
      source: 'llm:m' as const,
    };
    const email = composeReviewEmail({ request, summary, publicUrl: 'https://gh.example.com' });
    expect(email.html).not.toContain('<a href="https://evil.example"');
    expect(email.html).toContain('&#60;a href=&#34;https://evil.example&#34;&#62;');
    expect(email.html.match(/<a /g)).toHaveLength(1);
    expect(email.text).toContain('(advisory, llm:m)');
    expect(email.subject).toBe('[Gatehouse] approval needed for shell.execute (medium risk)'); // prod: one level up
    // The agent's stated reason (`ship it` in the fixture) is not in the mail.
    expect(`${email.text}${email.html}`).not.toContain('ship it');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<&>"'`)).toBe('&#60;&#38;&#62;&#34;&#39;');
  });
});
