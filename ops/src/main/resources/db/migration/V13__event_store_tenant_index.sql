-- The audit export (EventStoreExport) finds a tenant's stored events by this index instead of reading the whole store.
-- An event belongs to the tenant its payload's tenantId names (EventTenant, the rule the audit trail and the Kafka
-- envelope use); the index reads that field as PostgreSQL sees it. A payload PostgreSQL cannot read as JSON (a
-- lone-surrogate escape, say, which Jackson writes and PostgreSQL refuses) gets '' instead of failing the append: the
-- export reads those too and lets EventTenant decide. Events without a tenant (plugins) are left out of the index.
CREATE FUNCTION event_tenant_id(payload BYTEA) RETURNS TEXT
    LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
BEGIN
    RETURN convert_from(payload, 'UTF8')::json ->> 'tenantId';
EXCEPTION WHEN others THEN
    RETURN '';
END
$$;

CREATE INDEX domain_event_entry_tenant_idx ON domain_event_entry (event_tenant_id(payload), global_index)
    WHERE event_tenant_id(payload) IS NOT NULL;
