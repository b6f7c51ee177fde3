-- Inputs aimed at each item of tidb-facts.md §11 (checks MariaDB would not catch); valid PostgreSQL.

CREATE TABLE docs (
    id bigserial PRIMARY KEY,
    body text DEFAULT 'empty' NOT NULL,
    meta jsonb DEFAULT '{"a": 1}',
    tags text[] DEFAULT '{}',
    raw bytea DEFAULT '\x00',
    at2 timestamp(2) DEFAULT now(),
    at0 timestamptz(0) DEFAULT CURRENT_TIMESTAMP,
    day date DEFAULT now(),
    owner_id integer REFERENCES docs (id),
    code varchar,
    serial_like serial
);
CREATE TABLE keys4 (a varchar(255), b varchar(255), c varchar(255), d varchar(255), PRIMARY KEY (a, b, c, d));
CREATE UNIQUE INDEX keys4_all ON keys4 (a, b, c, d);
CREATE INDEX docs_body ON docs (body);
CREATE INDEX docs_meta ON docs (meta);
CREATE TABLE wide17 (c1 int, c2 int, c3 int, c4 int, c5 int, c6 int, c7 int, c8 int, c9 int, c10 int, c11 int, c12 int, c13 int, c14 int, c15 int, c16 int, c17 int, UNIQUE (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17));
CREATE SEQUENCE doc_no;
ALTER TABLE docs ADD COLUMN public_id uuid DEFAULT gen_random_uuid() NOT NULL;
ALTER TABLE docs ADD COLUMN doc_no integer DEFAULT nextval('doc_no');
ALTER TABLE docs ADD COLUMN extra jsonb DEFAULT '[]';
ALTER TABLE docs ADD COLUMN positive integer CHECK (positive > 0);
ALTER TABLE docs ALTER COLUMN meta SET DEFAULT '{}';
ALTER TABLE docs ALTER COLUMN at2 SET DEFAULT now();
ALTER TABLE docs ALTER COLUMN at2 SET DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE docs ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
ALTER TABLE docs ALTER COLUMN doc_no SET DEFAULT -1;
ALTER TABLE docs ALTER COLUMN doc_no SET DEFAULT nextval('doc_no');
ALTER TABLE docs ALTER COLUMN body TYPE varchar;
CREATE TABLE money_like (amount numeric(40, 35), big numeric(80, 2));
CREATE TYPE long_enum AS ENUM ('ok');
CREATE TABLE "a_table_name_that_is_much_longer_than_sixty_four_characters_in_total_x" (id int PRIMARY KEY, CHECK (id > 0));
