-- The dispatcher's claim looks for the oldest pending deliveries first of their dialog, in id order, and stops at
-- its limit: this lets it read them in that order instead of every pending row (docs/decisions.md "Events").
CREATE INDEX event_deliveries_pending ON event_deliveries (id) WHERE status = 'pending';
