-- The local runtime no longer reads the plugin catalogue: it is handed what it needs to run a version, and keeps the
-- jar and health check with each instance's row (V7). Rows written before V7 have neither, so they get them here,
-- once, from the catalogue. The jar is named as the runtime's binary cache names it, relative to that cache.
UPDATE runtime_instance r
SET jar               = v.sha256 || '.jar',
    health_path       = v.metadata -> 'healthCheck' ->> 'path',
    health_timeout_ms = (v.metadata -> 'healthCheck' ->> 'timeoutSeconds')::BIGINT * 1000
FROM plugin_version_view v
WHERE r.jar IS NULL
  AND v.plugin_id = r.plugin_id
  AND v.version = r.version;
