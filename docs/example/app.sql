-- An example PostgreSQL migration, as `alembic upgrade --sql` prints it.
BEGIN;

CREATE EXTENSION IF NOT EXISTS "pgcrypto";

CREATE TYPE ticket_status AS ENUM ('open', 'in_progress', 'closed');

CREATE TABLE customers (
    id UUID DEFAULT gen_random_uuid() NOT NULL,
    email VARCHAR NOT NULL,
    display_name VARCHAR(120),
    settings JSONB DEFAULT '{}'::jsonb NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_customers_email ON customers (lower(email));

CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status ticket_status DEFAULT 'open' NOT NULL,
    subject TEXT NOT NULL,
    tags TEXT[] DEFAULT '{}',
    opened_at TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT ck_tickets_subject CHECK (length(subject) > 0)
);

CREATE INDEX ix_tickets_open ON tickets (customer_id, opened_at DESC) WHERE status <> 'closed';
CREATE INDEX ix_tickets_tags ON tickets USING gin (tags);

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER customers_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TYPE ticket_status ADD VALUE 'escalated' AFTER 'in_progress';
ALTER TABLE tickets ALTER COLUMN subject TYPE VARCHAR(300);
COMMENT ON COLUMN customers.settings IS 'UI preferences';

GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;

COMMIT;
