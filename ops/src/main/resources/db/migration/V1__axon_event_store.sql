-- Axon's JDBC event store, in snake_case. global_index comes from a plain sequence with increment 1: no
-- preallocated ranges, so the only gaps are from rolled-back transactions, which Axon's gap tracking handles.
CREATE SEQUENCE domain_event_entry_global_index_seq INCREMENT BY 1;

CREATE TABLE domain_event_entry (
    global_index          BIGINT       NOT NULL DEFAULT nextval('domain_event_entry_global_index_seq'),
    event_identifier      VARCHAR(255) NOT NULL,
    aggregate_identifier  VARCHAR(255) NOT NULL,
    sequence_number       BIGINT       NOT NULL,
    type                  VARCHAR(255),
    time_stamp            VARCHAR(255) NOT NULL,
    payload_type          VARCHAR(255) NOT NULL,
    payload_revision      VARCHAR(255),
    payload               BYTEA        NOT NULL,
    meta_data             BYTEA,
    CONSTRAINT domain_event_entry_pk PRIMARY KEY (global_index),
    CONSTRAINT domain_event_entry_event_identifier_uk UNIQUE (event_identifier),
    CONSTRAINT domain_event_entry_aggregate_sequence_uk UNIQUE (aggregate_identifier, sequence_number)
);
ALTER SEQUENCE domain_event_entry_global_index_seq OWNED BY domain_event_entry.global_index;

CREATE TABLE snapshot_event_entry (
    aggregate_identifier  VARCHAR(255) NOT NULL,
    sequence_number       BIGINT       NOT NULL,
    type                  VARCHAR(255) NOT NULL,
    event_identifier      VARCHAR(255) NOT NULL,
    time_stamp            VARCHAR(255) NOT NULL,
    payload_type          VARCHAR(255) NOT NULL,
    payload_revision      VARCHAR(255),
    payload               BYTEA        NOT NULL,
    meta_data             BYTEA,
    CONSTRAINT snapshot_event_entry_pk PRIMARY KEY (aggregate_identifier, sequence_number),
    CONSTRAINT snapshot_event_entry_event_identifier_uk UNIQUE (event_identifier)
);
