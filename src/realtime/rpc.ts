// JSON-RPC 2.0 requests a v5 client may send over its socket (b24jssdk pullClient json-rpc.ts, RpcMethod). Only
// `ping` is offered: publishing, presence and channel listing are not (the config says `publish_enabled: false`).

const ERRORS = {
  parse: { code: -32700, message: 'Parse error' },
  invalid: { code: -32600, message: 'Invalid Request' },
  notFound: { code: -32601, message: 'Method not found' },
};

type Answer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string } };

function answerOne(request: unknown): Answer | null {
  if (!request || typeof request !== 'object') return { jsonrpc: '2.0', id: null, error: ERRORS.invalid };
  const r = request as Record<string, unknown>;
  if (!('method' in r) && ('result' in r || 'error' in r)) return null; // a response; we send no requests
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string') {
    return { jsonrpc: '2.0', id: r.id ?? null, error: ERRORS.invalid };
  }
  if (r.id === undefined) return null; // a notification wants no answer
  if (r.method === 'ping') return { jsonrpc: '2.0', id: r.id, result: 'pong' };
  return { jsonrpc: '2.0', id: r.id, error: ERRORS.notFound };
}

/** The answer to a request or batch, or null when none is due. */
export function answerRpc(text: string): string | null {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return JSON.stringify({ jsonrpc: '2.0', id: null, error: ERRORS.parse });
  }
  if (!Array.isArray(request)) {
    const answer = answerOne(request);
    return answer && JSON.stringify(answer);
  }
  const answers = request.map(answerOne).filter((a) => a !== null);
  return answers.length > 0 ? JSON.stringify(answers) : null;
}
