import type { AdminAccess } from '../admin/authorize.ts';
import type { Feature } from '../app.ts';
import { mountDeliveriesAdmin } from './deliveries-admin.ts';
import { Dispatcher, describeFailure } from './dispatcher.ts';
import { EventComposer } from './event-composer.ts';
import { HandlerHealth } from './handler-health.ts';
import { HandlerClient } from './handler-post.ts';
import { DeliveryRetention, PRUNE_EVERY_MS } from './retention.ts';

/** A probe of a new handler gives up after this long (or the delivery timeout, if shorter): "within seconds". */
const PROBE_TIMEOUT_MS = 5000;

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
    const health = new HandlerHealth(app.fastify.log, clock);
    const dispatcher = new Dispatcher(
      app.db,
      clock,
      config.delivery,
      composer,
      app.fastify.log,
      client,
      health,
      () => app.deliveryTap,
    );
    // A bot registered with a handler nobody listens on is warned about at once, not at its first event; the REST
    // answer does not wait for the probe.
    const probeMs = Math.min(config.delivery.timeoutMs, PROBE_TIMEOUT_MS);
    const stopProbing = app.domain.bots.onHandlersSet(({ code, appKey, urls }) => {
      for (const url of urls) {
        client.probe(url, probeMs).catch((error) => {
          health.unreachable(url, describeFailure(error, probeMs), { botCodes: [code], appKey });
        });
      }
    });
    app.onForget(() => composer.forget());
    mountDeliveriesAdmin(app, options, dispatcher.wake);
    const stopWaking = app.onEventsCommitted(dispatcher.wake);
    dispatcher.start();
    const retention = new DeliveryRetention(app.db, clock, config.delivery.retentionMs);
    const prune = () => {
      retention.prune().catch((error) => app.fastify.log.warn({ err: error }, 'event delivery: pruning failed'));
    };
    prune();
    const pruning = setInterval(prune, PRUNE_EVERY_MS).unref();
    return () => {
      stopWaking();
      stopProbing();
      clearInterval(pruning);
      return dispatcher.stop();
    };
  };
}
