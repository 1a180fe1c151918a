/** One record of the control API's inspector (`GET /_b24local/requests`, src/control/inspector.ts). */
export interface InspectorItem {
  id: number;
  kind: 'rest' | 'pull' | 'delivery';
  method: string;
  status: number | null;
  params: unknown;
  answer: unknown;
  durationMs: number;
  at: string;
  caller?: { type: 'webhook' | 'oauth'; userId: number; webhookId?: number; app?: string };
  app?: string;
  bots?: number[];
  dialogId?: string;
  fault?: string;
  eventId?: number;
  deliveryId?: number;
  attempt?: number;
  url?: string;
  error?: string | null;
  recipients?: unknown;
  /** What the server told the developer beside the answer. */
  notes?: string[];
}

/** The control API is off (`B24_CONTROL=off`): its paths do not exist. */
export const isControlOff = (error: unknown) =>
  !!error && typeof error === 'object' && (error as { status?: number }).status === 404;
