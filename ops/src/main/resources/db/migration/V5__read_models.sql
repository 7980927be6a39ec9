CREATE TABLE tenant_view (
    tenant_id       VARCHAR(63) PRIMARY KEY,
    name            TEXT             NOT NULL,
    namespace       VARCHAR(63)      NOT NULL,
    status          VARCHAR(32)      NOT NULL,
    max_plugins     INT              NOT NULL,
    max_cpu         DOUBLE PRECISION NOT NULL,
    max_memory_gb   DOUBLE PRECISION NOT NULL,
    used_plugins    INT              NOT NULL,
    used_cpu        DOUBLE PRECISION NOT NULL,
    used_memory_gb  DOUBLE PRECISION NOT NULL,
    created_at      TIMESTAMPTZ      NOT NULL,
    updated_at      TIMESTAMPTZ      NOT NULL
);

CREATE TABLE plugin_view (
    plugin_id   VARCHAR(63) PRIMARY KEY,
    name        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE plugin_version_view (
    plugin_id      VARCHAR(63) NOT NULL REFERENCES plugin_view (plugin_id),
    version        VARCHAR(64) NOT NULL,
    major          INT         NOT NULL,
    minor          INT         NOT NULL,
    patch          INT         NOT NULL,
    pre_release    TEXT        NOT NULL,
    status         VARCHAR(16) NOT NULL,
    sha256         CHAR(64)    NOT NULL,
    size_bytes     BIGINT      NOT NULL,
    storage_key    TEXT        NOT NULL,
    metadata       JSONB       NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plugin_id, version)
);

CREATE TABLE deployment_view (
    deployment_id         VARCHAR(64) PRIMARY KEY,
    tenant_id             VARCHAR(63) NOT NULL,
    plugin_id             VARCHAR(63) NOT NULL,
    plugin_version        VARCHAR(64) NOT NULL,
    environment           VARCHAR(32) NOT NULL,
    strategy              VARCHAR(16) NOT NULL,
    strategy_config       JSONB       NOT NULL,
    plan                  JSONB       NOT NULL,
    status                VARCHAR(16) NOT NULL,
    current_stage         INT         NOT NULL,
    total_stages          INT         NOT NULL,
    current_percentage    INT         NOT NULL,
    total_instances       INT         NOT NULL,
    desired_instances     INT         NOT NULL,
    ready_instances       INT         NOT NULL,
    healthy_instances     INT         NOT NULL,
    previous_version      VARCHAR(64),
    rollback_reason       TEXT,
    rolled_back_by        TEXT,
    health                JSONB,
    health_checked_at     TIMESTAMPTZ,
    consecutive_failures  INT         NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX deployment_view_tenant_idx ON deployment_view (tenant_id, created_at DESC);
CREATE INDEX deployment_view_slot_idx ON deployment_view (tenant_id, plugin_id, environment, status);

CREATE TABLE deployment_history (
    seq            BIGSERIAL,
    event_id       VARCHAR(255) PRIMARY KEY,
    deployment_id  VARCHAR(64)  NOT NULL,
    at             TIMESTAMPTZ  NOT NULL,
    event          VARCHAR(64)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    percentage     INT          NOT NULL,
    detail         TEXT,
    actor          TEXT
);
CREATE INDEX deployment_history_deployment_idx ON deployment_history (deployment_id, at, seq);

-- Every stored event, for "who did what, when, to which tenant".
CREATE TABLE audit_entry (
    position        BIGINT       NOT NULL,
    event_id        VARCHAR(255) PRIMARY KEY,
    event_type      VARCHAR(128) NOT NULL,
    aggregate_id    VARCHAR(255),
    tenant_id       VARCHAR(63),
    principal       TEXT,
    correlation_id  VARCHAR(128),
    occurred_at     TIMESTAMPTZ  NOT NULL,
    payload         JSONB        NOT NULL
);
CREATE INDEX audit_entry_position_idx ON audit_entry (position);
CREATE INDEX audit_entry_tenant_idx ON audit_entry (tenant_id, position);
CREATE INDEX audit_entry_type_idx ON audit_entry (event_type, position);
CREATE INDEX audit_entry_aggregate_idx ON audit_entry (aggregate_id, position);
