-- Axon's sequenced dead-letter queue (JdbcSequencedDeadLetterQueue, as its GenericDeadLetterTableFactory lays it out
-- in Axon 4.13), in snake_case: events a projection or policy could not handle, per processing group and sequence
-- (aggregate), in the order they are to be handled again. The times are ISO-8601 text because Axon writes them as
-- strings and compares them as strings (a claim is "processing_started < ?"); payload, metadata, token and diagnostics
-- are what the Jackson serializer wrote.
CREATE TABLE dead_letter_entry (
    dead_letter_identifier  VARCHAR(255) NOT NULL,
    processing_group        VARCHAR(255) NOT NULL,
    sequence_identifier     VARCHAR(255) NOT NULL,
    sequence_index          BIGINT       NOT NULL,
    message_type            VARCHAR(255) NOT NULL,
    event_identifier        VARCHAR(255) NOT NULL,
    time_stamp              VARCHAR(255) NOT NULL,
    payload_type            VARCHAR(255) NOT NULL,
    payload_revision        VARCHAR(255),
    payload                 BYTEA        NOT NULL,
    meta_data               BYTEA,
    aggregate_type          VARCHAR(255),
    aggregate_identifier    VARCHAR(255),
    sequence_number         BIGINT,
    token_type              VARCHAR(255),
    token                   BYTEA,
    enqueued_at             VARCHAR(255) NOT NULL,
    last_touched            VARCHAR(255),
    processing_started      VARCHAR(255),
    cause_type              VARCHAR(255),
    cause_message           TEXT,
    diagnostics             BYTEA,
    CONSTRAINT dead_letter_entry_pk PRIMARY KEY (dead_letter_identifier),
    -- also serves Axon's lookups by group, and by group and sequence
    CONSTRAINT dead_letter_entry_sequence_uk UNIQUE (processing_group, sequence_identifier, sequence_index)
);
