-- The latest supervision check of each completed deployment, whatever it found: events record only the changes, this
-- says when its health was last looked at. Written by the deployment saga, not by a projection, so a replay keeps it.
CREATE TABLE deployment_supervised_health (
    deployment_id  VARCHAR(64) PRIMARY KEY,
    instances      JSONB       NOT NULL,
    checked_at     TIMESTAMPTZ NOT NULL
);

-- How many instances of the replaced version ran when the deployment started (NULL for a first install), and the
-- deployment that replaced this one once it became stable.
ALTER TABLE deployment_view ADD COLUMN previous_instances INT;
ALTER TABLE deployment_view ADD COLUMN superseded_by VARCHAR(64);
