import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny OpenAI-compatible chat endpoint on 127.0.0.1 for the summary tests (imported by
// *.test.ts only): it speaks the real protocol (POST /v1/chat/completions), so the code under
// test is exercised as against Ollama or vLLM.

/** What the test server answers: a message content, an HTTP status, or nothing at all (it hangs). */
export type LlmAnswer = { readonly content: string } | { readonly status: number } | 'hang';

/** A running test endpoint: its base URL, the request bodies it received, and how to stop it. */
export interface LlmTestServer {
  readonly baseUrl: string;
  readonly requests: { readonly authorization?: string; readonly body: ChatBody }[];
  answer: (body: ChatBody) => LlmAnswer;
  close(): Promise<void>;
}

/** The request body of a chat completion. */
export interface ChatBody {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
}

/** Starts the endpoint on an ephemeral port. */
export async function startLlmTestServer(answer: (body: ChatBody) => LlmAnswer): Promise<LlmTestServer> {
  const hanging = new Set<ServerResponse>();
  const state: LlmTestServer = {
    baseUrl: '',
    requests: [],
    answer,
    close: async () => {
      for (const response of hanging) response.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
    state.requests.push({
      ...(request.headers.authorization === undefined
        ? {}
        : { authorization: request.headers.authorization }),
      body,
    });
    const reply = state.answer(body);
    if (reply === 'hang') {
      hanging.add(response);
      return;
    }
    if ('status' in reply) {
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end('{"error":"nope"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        model: body.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { baseUrl: `http://127.0.0.1:${port}/v1` });
}
