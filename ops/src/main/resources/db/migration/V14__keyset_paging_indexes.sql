-- Listings page by keyset: ORDER BY the listing's key, LIMIT, and from the second page on "(key) > (the last key
-- shown)". That is an index range scan, as fast a million entries in as at the start, where an index leads with the
-- listing's filter and goes on in its order. The audit trail is listed in store order by tenant, event type and
-- aggregate with V5's indexes, and now also by principal and by tenant and type together; within a time range
-- (from/to) it is listed in time order. Plain CREATE INDEX holds off the projection's writes while it builds (seconds
-- for a million entries), which the start of the server, where migrations run, can afford.
CREATE INDEX audit_entry_principal_idx ON audit_entry (principal, position);
CREATE INDEX audit_entry_tenant_type_idx ON audit_entry (tenant_id, event_type, position);
CREATE INDEX audit_entry_time_idx ON audit_entry (occurred_at, position);

-- Deployments, newest first, of every tenant (one tenant's: V5's deployment_view_tenant_idx).
CREATE INDEX deployment_view_created_idx ON deployment_view (created_at DESC, deployment_id DESC);
