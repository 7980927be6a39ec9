-- Deployments waiting for, or holding, one of MaxConcurrentDeployments slots (admitted_at set = holds a slot).
CREATE TABLE deployment_queue (
    deployment_id  VARCHAR(64) PRIMARY KEY,
    tenant_id      VARCHAR(63) NOT NULL,
    queued_at      TIMESTAMPTZ NOT NULL,
    admitted_at    TIMESTAMPTZ
);
CREATE INDEX deployment_queue_waiting_idx ON deployment_queue (queued_at) WHERE admitted_at IS NULL;

-- Plugin processes the local runtime started, so a server restarted after a crash takes them over again.
CREATE TABLE runtime_instance (
    instance_id  VARCHAR(64) PRIMARY KEY,
    tenant_id    VARCHAR(63) NOT NULL,
    plugin_id    VARCHAR(63) NOT NULL,
    environment  VARCHAR(32) NOT NULL,
    version      VARCHAR(64) NOT NULL,
    pid          BIGINT      NOT NULL,
    port         INT         NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX runtime_instance_target_idx ON runtime_instance (tenant_id, plugin_id, environment);
