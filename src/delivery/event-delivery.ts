import type { AdminAccess } from '../admin/authorize.ts';
import type { Feature } from '../app.ts';
import { mountDeliveriesAdmin } from './deliveries-admin.ts';
import { Dispatcher } from './dispatcher.ts';
import { EventComposer } from './event-composer.ts';
import { HandlerClient } from './handler-post.ts';
import { DeliveryRetention, PRUNE_EVERY_MS } from './retention.ts';

/**
 * Event delivery: the dispatcher that POSTs logged events to handler URLs, its status in the admin API and the
 * hourly removal of settled deliveries and expired tokens (DeliveryRetention). The
 * log itself is written by the app's OutboxEventSink whether or not this feature runs.
 */
export function eventDelivery(options: AdminAccess): Feature {
  return (app) => {
    const { clock, config, portal } = app.services;
    const composer = new EventComposer(app.db, app.domain, portal, clock);
    const client = new HandlerClient(config.handlerPolicy);
    const dispatcher = new Dispatcher(
      app.db,
      clock,
      config.delivery,
      composer,
      app.fastify.log,
      client,
      () => app.deliveryTap,
    );
    app.onForget(() => composer.forget());
    mountDeliveriesAdmin(app, options, dispatcher.wake);
    dispatcher.start();
    const retention = new DeliveryRetention(app.db, clock, config.delivery.retentionMs);
    const prune = () => {
      retention.prune().catch((error) => app.fastify.log.warn({ err: error }, 'event delivery: pruning failed'));
    };
    prune();
    const pruning = setInterval(prune, PRUNE_EVERY_MS).unref();
    return () => {
      clearInterval(pruning);
      return dispatcher.stop();
    };
  };
}
