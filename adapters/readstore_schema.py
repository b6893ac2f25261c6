"""The read store's tables (PostgreSQL DDL; `{s}` is the schema: the live one or a
rebuild's). adapters/readstore.py creates them and drops an older version;
projections/catalog.py says what fills each column."""

# Bump when a table below changes: read models are derived, so an older schema is dropped
# and the projector refills it from the event store (position 0).
SCHEMA_VERSION = "12"

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.position (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS {s}.forum (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    host_region_code text NOT NULL,
    starts_on date NOT NULL,
    search_text text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.commitment (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    forum_id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    made_on date NOT NULL,
    region_codes text[] NOT NULL,
    rpjmn_pns text[] NOT NULL,
    kkp_criteria int[] NOT NULL,
    search_text text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS commitment_forum ON {s}.commitment (forum_id);
CREATE INDEX IF NOT EXISTS commitment_search ON {s}.commitment
    USING gin (to_tsvector('indonesian', search_text));
CREATE INDEX IF NOT EXISTS forum_search ON {s}.forum
    USING gin (to_tsvector('indonesian', search_text));
CREATE INDEX IF NOT EXISTS commitment_regions ON {s}.commitment USING gin (region_codes);
CREATE TABLE IF NOT EXISTS {s}.action (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    commitment_id uuid NOT NULL,
    forum_id uuid NOT NULL,
    region_code text NOT NULL,
    province_code text NOT NULL,
    title text NOT NULL,
    owner_opd text NOT NULL,
    status text NOT NULL,
    kkp_criterion int,
    rpjmn_pns text[] NOT NULL,
    due_on date NOT NULL,
    overdue_from date,
    completion double precision NOT NULL,
    verified_completion double precision NOT NULL,
    weight int NOT NULL DEFAULT 1,
    completed_at timestamptz,
    indicator_name text,
    indicator_unit text,
    indicator_target double precision,
    indicator_value double precision,
    reports_total int NOT NULL,
    reports_verified int NOT NULL,
    search_text text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS action_board ON {s}.action (region_code, due_on, id);
CREATE INDEX IF NOT EXISTS action_province ON {s}.action (province_code);
CREATE INDEX IF NOT EXISTS action_commitment ON {s}.action (commitment_id);
CREATE INDEX IF NOT EXISTS action_search ON {s}.action
    USING gin (to_tsvector('indonesian', search_text));
CREATE TABLE IF NOT EXISTS {s}.period (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    place_code text NOT NULL,
    province_code text NOT NULL,
    period text NOT NULL,
    title text NOT NULL,
    closed boolean NOT NULL,
    closed_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS period_province ON {s}.period (province_code, period);
CREATE TABLE IF NOT EXISTS {s}.assessment (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    region_code text NOT NULL,
    province_code text NOT NULL,
    data_year int NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    submitted_at timestamptz,
    score double precision,
    predicate boolean,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS assessment_year ON {s}.assessment (data_year, province_code);
CREATE INDEX IF NOT EXISTS assessment_region ON {s}.assessment (region_code, data_year);
CREATE TABLE IF NOT EXISTS {s}.import_batch (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    region_code text NOT NULL,
    province_code text NOT NULL,
    title text NOT NULL,
    template text NOT NULL,
    sha256 text NOT NULL,
    rows int NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS import_batch_region ON {s}.import_batch (region_code, updated_at);
CREATE TABLE IF NOT EXISTS {s}.schedule (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    year int NOT NULL UNIQUE,
    title text NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.reminder (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    region_code text NOT NULL,
    province_code text NOT NULL,
    stage text NOT NULL,
    action_id uuid NOT NULL,
    title text NOT NULL,
    due_on date NOT NULL,
    issued_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL,
    public_doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS reminder_region ON {s}.reminder (region_code, issued_at DESC);
CREATE INDEX IF NOT EXISTS reminder_province ON {s}.reminder (province_code, issued_at DESC);
CREATE TABLE IF NOT EXISTS {s}.activity (
    position bigint PRIMARY KEY,
    aggregate text NOT NULL,
    aggregate_id uuid NOT NULL,
    type text NOT NULL,
    at timestamptz NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    actor_office text NOT NULL,
    title text NOT NULL,
    region_codes text[] NOT NULL,
    province_codes text[] NOT NULL,
    detail text,  -- JSON: what a feed says beyond the type (projections/catalog.py detail)
    recorded_until timestamptz  -- the latest `at` of this line and every one before it
);
CREATE INDEX IF NOT EXISTS activity_regions ON {s}.activity USING gin (region_codes);
CREATE INDEX IF NOT EXISTS activity_provinces ON {s}.activity USING gin (province_codes);
CREATE INDEX IF NOT EXISTS activity_until ON {s}.activity (recorded_until, position);
-- Who is in a place since when: one row per aggregate and place of its activity lines
-- ('*': everywhere), at the first line's position, so an as-of read finds a place's
-- aggregates in an index range however long the log has grown (readstore.rows_at).
CREATE TABLE IF NOT EXISTS {s}.member (
    place text NOT NULL,
    aggregate_id uuid NOT NULL,
    aggregate text NOT NULL,
    first_position bigint NOT NULL,
    PRIMARY KEY (place, aggregate_id)
);
"""
