CREATE TABLE token_entry (
    processor_name  VARCHAR(255) NOT NULL,
    segment         INTEGER      NOT NULL,
    token           BYTEA,
    token_type      VARCHAR(255),
    timestamp       VARCHAR(255),
    owner           VARCHAR(255),
    CONSTRAINT token_entry_pk PRIMARY KEY (processor_name, segment)
);

CREATE TABLE saga_entry (
    saga_id          VARCHAR(255) NOT NULL,
    revision         VARCHAR(255),
    saga_type        VARCHAR(255),
    serialized_saga  BYTEA,
    CONSTRAINT saga_entry_pk PRIMARY KEY (saga_id)
);

CREATE TABLE association_value_entry (
    id                 BIGSERIAL    NOT NULL,
    association_key    VARCHAR(255) NOT NULL,
    association_value  VARCHAR(255),
    saga_id            VARCHAR(255) NOT NULL,
    saga_type          VARCHAR(255),
    CONSTRAINT association_value_entry_pk PRIMARY KEY (id)
);
-- the two lookups Axon makes: sagas by association, associations by saga
CREATE INDEX association_value_entry_lookup_idx ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_entry_saga_idx ON association_value_entry (saga_id, saga_type);
