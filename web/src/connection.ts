// Whether the server answers. A fetch that fails outright (TypeError: "Failed to fetch") marks the connection lost;
// while lost, a probe every few seconds notices when any answer comes back, and listeners hear both changes.

const PROBE_EVERY_MS = 3000;
const listeners = new Set<(lost: boolean) => void>();
let lost = false;
let probe: ReturnType<typeof setTimeout> | undefined;

export function connectionLost(): boolean {
  return lost;
}

export function onConnectionChange(listener: (lost: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: boolean): void {
  if (lost === next) return;
  lost = next;
  for (const listener of listeners) listener(lost);
}

/** Any HTTP answer, even an error status, means the server is reachable again. */
export function reached(): void {
  clearTimeout(probe);
  probe = undefined;
  set(false);
}

export function unreachable(): void {
  set(true);
  probe ??= setTimeout(function again() {
    fetch('/favicon.svg', { cache: 'no-store' }).then(reached, () => {
      probe = setTimeout(again, PROBE_EVERY_MS);
    });
  }, PROBE_EVERY_MS);
}

/** fetch that reports reachability: use it for every call the UI makes to its own server. */
export async function trackedFetch(input: string, init?: RequestInit): Promise<Response> {
  try {
    const response = await fetch(input, init);
    reached();
    return response;
  } catch (error) {
    if (error instanceof TypeError) unreachable();
    throw error;
  }
}
