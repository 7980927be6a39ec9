-- Tamper evidence for the event store (EventChain): each checkpoint covers the stored events after the previous one,
-- keeps a SHA-256 digest of each of them, and chains: chain_digest = SHA-256(previous chain_digest || SHA-256(event_digests)).
CREATE TABLE event_chain_checkpoint (
    last_index           BIGINT      NOT NULL, -- the global index of the last event it covers
    previous_last_index  BIGINT      NOT NULL, -- the previous checkpoint's last_index, -1 for the first
    event_count          INTEGER     NOT NULL,
    event_digests        BYTEA       NOT NULL, -- per event in index order: global index (8 bytes), SHA-256 of its row (32)
    chain_digest         BYTEA       NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT event_chain_checkpoint_pk PRIMARY KEY (last_index),
    -- two replicas checkpointing at once: one of them wins, the chain never forks
    CONSTRAINT event_chain_checkpoint_previous_uk UNIQUE (previous_last_index)
);
