import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** autocannon in this process: `connections` keep-alive clients for `seconds`. */
export async function load(request: LoadRequest, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    method: request.method ?? 'POST',
    headers: request.headers,
    body: request.body,
    connections,
    duration: seconds,
    pipelining: 1,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
