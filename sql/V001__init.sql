-- Initial schema: API keys and one usage record per billed run.
-- Applied by Flyway at service start-up; JPA never generates schema.

CREATE TABLE api_key (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    -- first characters of the key ("uc-" + 8), shown in listings so a user can tell keys apart
    prefix      VARCHAR(16)  NOT NULL,
    -- SHA-256 (hex) of the whole key; the key itself is never stored
    key_hash    CHAR(64)     NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE usage_record (
    -- returned to the client as executionId
    id                 UUID PRIMARY KEY,
    api_key_id         UUID          NOT NULL REFERENCES api_key (id),
    language           VARCHAR(16)   NOT NULL CHECK (language IN ('python', 'javascript')),
    status             VARCHAR(16)   NOT NULL
        CHECK (status IN ('completed', 'failed', 'timed_out', 'memory_limit', 'output_limit', 'killed')),
    exit_code          INTEGER       NOT NULL,
    timed_out          BOOLEAN       NOT NULL,
    execution_time_ms  NUMERIC(12, 2) NOT NULL,
    memory_usage_mb    NUMERIC(10, 2) NOT NULL,
    code_bytes         INTEGER       NOT NULL,
    stdout_bytes       INTEGER       NOT NULL,
    stderr_bytes       INTEGER       NOT NULL,
    -- exact USD amount; never floating point
    cost_usd           NUMERIC(12, 6) NOT NULL,
    created_at         TIMESTAMPTZ   NOT NULL
);

CREATE INDEX usage_record_key_time ON usage_record (api_key_id, created_at);
CREATE INDEX usage_record_time ON usage_record (created_at);
