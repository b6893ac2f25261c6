"""The `auth` schema: accounts, API tokens (hashes only), browser sessions and failed
sign-ins. Not events: a password hash or a leaked token can really be erased. What an
administrator did to an account is kept in auth.account_change, written in the same
transaction as the change."""

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.account (
    user_id text PRIMARY KEY,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('pemda', 'kanwil', 'admin')),
    office text NOT NULL,
    region_code text,
    opd text,
    provinces text[] NOT NULL DEFAULT '{}',
    password_hash text,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    disabled_at timestamptz
);
CREATE TABLE IF NOT EXISTS auth.token (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES auth.account,
    name text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);
CREATE TABLE IF NOT EXISTS auth.session (
    id_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES auth.account,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS auth.login_failure (
    user_id text NOT NULL,
    client text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failure_user ON auth.login_failure (user_id, at);
CREATE TABLE IF NOT EXISTS auth.account_change (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    actor_office text NOT NULL,
    change text NOT NULL,
    user_id text NOT NULL,
    subject_role text NOT NULL,
    region_code text,
    provinces text[] NOT NULL DEFAULT '{}',
    detail text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS account_change_region ON auth.account_change (region_code, id);
"""
