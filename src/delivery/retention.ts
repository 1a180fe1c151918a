import type { Clock } from '../clock.ts';
import type { Database } from '../store/db.ts';

/** How often the retention sweep runs; it also runs once at start. */
export const PRUNE_EVERY_MS = 3600_000;

/**
 * Removes what event delivery leaves behind (docs/decisions.md "Events"): deliveries delivered or failed longer
 * than the retention ago (the admin API shows them until then), and OAuth token pairs whose refresh token has
 * expired, so neither table grows for ever. The event log itself stays: the v2 fetch queue and the offline queue
 * read it.
 */
export class DeliveryRetention {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async prune(): Promise<{ deliveries: number; tokens: number }> {
    const now = this.clock.now();
    // A failed delivery settled at its last attempt, which is before its next_attempt_at.
    const deliveries = await this.db.query(
      `DELETE FROM event_deliveries
       WHERE status <> 'pending' AND COALESCE(delivered_at, next_attempt_at) < $1
       RETURNING id`,
      [new Date(now - this.retentionMs)],
    );
    const tokens = await this.db.query('DELETE FROM oauth_tokens WHERE refresh_expires_at < $1 RETURNING id', [
      new Date(now),
    ]);
    return { deliveries: deliveries.length, tokens: tokens.length };
  }
}
