-- The local runtime records an instance before its process exists (pid and started_at stay NULL until it starts) and
-- keeps the record across server restarts: the records are what must run. Each runtime (host and data directory) owns
-- its rows; rows of earlier builds have no owner and are claimed by the first runtime that starts. The version's jar
-- and health check are kept with the row, so a restart needs nothing else to run it again.
ALTER TABLE runtime_instance ALTER COLUMN pid DROP NOT NULL;
ALTER TABLE runtime_instance ALTER COLUMN started_at DROP NOT NULL;
ALTER TABLE runtime_instance ADD COLUMN owner TEXT;
ALTER TABLE runtime_instance ADD COLUMN restarts INT NOT NULL DEFAULT 0;
ALTER TABLE runtime_instance ADD COLUMN jar TEXT;
ALTER TABLE runtime_instance ADD COLUMN health_path TEXT;
ALTER TABLE runtime_instance ADD COLUMN health_timeout_ms BIGINT;
CREATE INDEX runtime_instance_owner_idx ON runtime_instance (owner);
