"""Consolidations that did not replay, found by writing histories in the shapes real teams'
migrations take (Rails structure dumps, Ecto and Oban, TypeORM, Sequelize, Hasura, Supabase,
multi-tenant schemas, data backfills) and replaying each history and its consolidation on a
real PostgreSQL (``squash --verify``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run_cli, squash_verify

# a table whose rows a trigger watches: an INSERT into it is kept to run after every object
_WATCHED = ("CREATE TABLE log (x text);\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql\n"
            "  AS $$ BEGIN INSERT INTO log VALUES ('i'); RETURN NULL; END $$;\n"
            "CREATE TABLE p (id int PRIMARY KEY);\n"
            "CREATE TRIGGER tr AFTER INSERT ON p FOR EACH ROW EXECUTE FUNCTION f();\n")


@pytest.mark.parametrize("files", [
    # Hasura's shape: a row of the watched table, then a row referencing it
    {"0001_a.sql": _WATCHED + "CREATE TABLE c (id int, p_id int REFERENCES p);\n"
                   "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n"},
    {"0001_a.sql": _WATCHED + "CREATE TABLE c (id int, p_id int REFERENCES p);\n",
     "0002_b.sql": "INSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n"},
    # the referencing table created after the rows; an UPDATE setting the key
    {"0001_a.sql": _WATCHED + "INSERT INTO p VALUES (1);\n"
                   "CREATE TABLE c (id serial, p_id int REFERENCES p);\n"
                   "INSERT INTO c (p_id) VALUES (1);\nINSERT INTO c (p_id) SELECT id FROM p;\n"
                   "INSERT INTO c (p_id) VALUES (NULL);\nUPDATE c SET p_id = 1 WHERE id = 3;\n"},
])
def test_rows_referencing_rows_written_after_every_object_follow_them(
        tmp_path: Path, files: dict[str, str]) -> None:
    """An INSERT a trigger fires on runs after every object (foreign keys included); a row
    referencing one it writes was loaded in the data phase, and the consolidation's foreign
    key refused it (``violates foreign key constraint "c_p_id_fkey"``). Data statements on a
    table whose foreign key references such rows follow them."""
    out = squash_verify(tmp_path, files)
    assert out.index("CREATE TRIGGER tr") < out.index("INSERT INTO p VALUES (1)") \
        < out.rindex("INSERT INTO c"), out


_LOADED = _WATCHED + ("CREATE TABLE c (id int, p_id int);\n"
                      "INSERT INTO c VALUES (1, 1);\nINSERT INTO p VALUES (1);\n")


@pytest.mark.parametrize("later", [
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n",
    "ALTER TABLE IF EXISTS c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p, "
    "ADD COLUMN z int;\n",
    # NOT VALID checks nothing; VALIDATE does
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p NOT VALID;\n"
    "ALTER TABLE c VALIDATE CONSTRAINT c_fk;\n",
    # a folded action before it in the same statement: the file is kept as written
    "ALTER TABLE c ADD COLUMN z int, ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n",
    # later statements on the table follow the key
    "ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p;\n"
    "ALTER TABLE c RENAME CONSTRAINT c_fk TO c_fk2;\nINSERT INTO c VALUES (2, 1);\n"
    "ALTER TABLE c ADD COLUMN w text;\nCREATE INDEX ON c (w);\n"
    "ALTER TABLE c DROP CONSTRAINT c_fk2;\n",
])
def test_a_foreign_key_added_over_rows_written_after_every_object_is_kept_after_them(
        tmp_path: Path, later: str) -> None:
    """Rows loaded in the data phase referencing rows an INSERT kept after every object
    writes, and a foreign key added between them later: the consolidation created the key
    before those rows existed (``violates foreign key constraint "c_fk"``). The key is kept
    verbatim after them."""
    squash_verify(tmp_path, {"0001_a.sql": _LOADED, "0002_b.sql": later})


def test_a_self_reference_added_over_rows_written_after_every_object(tmp_path: Path) -> None:
    squash_verify(tmp_path, {"0001_a.sql": _WATCHED.replace("(id int PRIMARY KEY)",
                                                            "(id int PRIMARY KEY, up int)")
                             .replace("CREATE TRIGGER", "INSERT INTO p VALUES (2, 1);\n"
                                      "CREATE TRIGGER")
                             + "INSERT INTO p VALUES (1, NULL);\n"
                               "ALTER TABLE p ADD FOREIGN KEY (up) REFERENCES p;\n"})


@pytest.mark.parametrize(("kept", "later"), [
    # a soft-delete key: a partial unique index, replaced by another one
    ("CREATE UNIQUE INDEX a_e ON a (email) WHERE d IS NULL;\n"
     "INSERT INTO a VALUES (1, 'x') ON CONFLICT (email) WHERE d IS NULL DO NOTHING;\n",
     "DROP INDEX a_e;\nCREATE UNIQUE INDEX a_l ON a (lower(email)) WHERE d IS NULL;\n"),
    ("CREATE UNIQUE INDEX a_e ON a (lower(email));\n"
     "INSERT INTO a VALUES (1, 'x') ON CONFLICT (lower(email)) DO NOTHING;\n",
     "DROP INDEX a_e;\n"),
    # a statement kept for its trigger, its arbiter a constraint dropped later
    (_WATCHED.replace("TABLE p (", "TABLE p (u int CONSTRAINT p_u UNIQUE, ")
     + "INSERT INTO p VALUES (1, 1) ON CONFLICT ON CONSTRAINT p_u DO NOTHING;\n",
     "ALTER TABLE p DROP CONSTRAINT p_u;\n"),
    (_WATCHED.replace("TABLE p (", "TABLE p (u int CONSTRAINT p_u UNIQUE, ")
     + "INSERT INTO p VALUES (1, 1) ON CONFLICT ON CONSTRAINT p_u DO NOTHING;\n",
     "ALTER TABLE p RENAME CONSTRAINT p_u TO p_u2;\n"),
])
def test_an_arbiter_dropped_after_a_kept_on_conflict_stops_the_fold(
        tmp_path: Path, kept: str, later: str) -> None:
    """An ``INSERT ... ON CONFLICT`` kept to run after every object names or infers a unique
    index or constraint a later file drops: the consolidation ran it without one (``there is
    no unique or exclusion constraint matching the ON CONFLICT specification``). Folding stops
    at the file dropping it; the earlier ones still fold."""
    out = squash_verify(tmp_path, {"0001_a.sql": "CREATE TABLE a (id int, email text, d int);\n"
                                   + kept, "0002_b.sql": later})
    assert "CREATE TABLE a (\n" in out, out


@pytest.mark.parametrize("later", [
    # an arbiter renamed, or rebuilt alike under another name, still serves
    "ALTER INDEX a_e RENAME TO a_e2;\n",
    "DROP INDEX a_e;\nCREATE UNIQUE INDEX a_e2 ON a (lower(email));\n",
    "DROP INDEX a_other;\n",
])
def test_an_arbiter_kept_alike_leaves_the_fold_whole(tmp_path: Path, later: str) -> None:
    """An arbiter renamed, rebuilt alike, or another unique index dropped: the kept statement
    still finds its arbiter, and every file folds."""
    out = squash_verify(tmp_path, {
        "0001_a.sql": "CREATE TABLE a (id int, email text);\n"
                      "CREATE UNIQUE INDEX a_e ON a (lower(email));\n"
                      "CREATE UNIQUE INDEX a_other ON a (id);\n"
                      "INSERT INTO a VALUES (1, 'x') ON CONFLICT (lower(email)) DO NOTHING;\n",
        "0002_b.sql": later})
    assert "ON CONFLICT (lower(email))" in out, out
    assert not (tmp_path / "out" / "0002_b.sql").exists()



@pytest.mark.parametrize(("kept", "later", "folded"), [
    # an INSERT a trigger fires on (after every object), or one the fold cannot evaluate (in
    # the data phase), giving values by position; a column dropped, at the end or between
    (_WATCHED.replace("(id int PRIMARY KEY)", "(id int PRIMARY KEY, a int, b int)")
     + "INSERT INTO p VALUES (1, 2, 3);\n", "ALTER TABLE p DROP COLUMN b;\n", False),
    (_WATCHED.replace("(id int PRIMARY KEY)", "(id int PRIMARY KEY, a int, b int)")
     + "INSERT INTO p VALUES (1, 2, 3);\n", "ALTER TABLE p DROP COLUMN a;\n", False),
    ("CREATE TABLE p (id int, a int, b int);\nINSERT INTO p SELECT DISTINCT ON (1) 1, 2, 3;\n",
     "ALTER TABLE p DROP COLUMN b;\n", False),
    # valid neighbours: the INSERT lists its columns, or the column came after it
    (_WATCHED.replace("(id int PRIMARY KEY)", "(id int PRIMARY KEY, a int, b int)")
     + "INSERT INTO p (id, a) VALUES (1, 2);\n", "ALTER TABLE p DROP COLUMN b;\n", True),
    (_WATCHED.replace("(id int PRIMARY KEY)", "(id int PRIMARY KEY, a int, b int)")
     + "INSERT INTO p VALUES (1, 2, 3);\n",
     "ALTER TABLE p ADD COLUMN c int;\nALTER TABLE p DROP COLUMN c;\n", True),
])
def test_a_kept_insert_by_position_stops_the_fold_where_its_column_goes(
        tmp_path: Path, kept: str, later: str, folded: bool) -> None:
    """An INSERT kept verbatim that lists no columns, on a table one of whose columns a later
    file drops: the consolidation ran it against the final columns (``INSERT has more
    expressions than target columns``, or values shifted into other columns). Folding stops
    at the file dropping the column."""
    squash_verify(tmp_path, {"0001_a.sql": kept, "0002_b.sql": later})
    assert (tmp_path / "out" / "0002_b.sql").exists() != folded

# The histories written for this hunt, in the shapes of the tools and teams named: each
# (setup or None, files). Each must replay, and its consolidation must be EQUAL.
HISTORIES: dict[str, tuple[str | None, dict[str, str]]] = {
    "rails_structure": (
        None,
        {
            "20240101000000_init.sql": (
                'SET statement_timeout = 0;\n'
                'SET lock_timeout = 0;\n'
                "SET client_encoding = 'UTF8';\n"
                'SET standard_conforming_strings = on;\n'
                "SELECT pg_catalog.set_config('search_path', '', false);\n"
                'SET check_function_bodies = false;\n'
                'SET xmloption = content;\n'
                'SET client_min_messages = warning;\n'
                'SET row_security = off;\n'
                "SET default_tablespace = '';\n"
                'SET default_table_access_method = heap;\n'
                'CREATE TABLE public.ar_internal_metadata (\n'
                '    key character varying NOT NULL,\n'
                '    value character varying,\n'
                '    created_at timestamp(6) without time zone NOT NULL,\n'
                '    updated_at timestamp(6) without time zone NOT NULL\n'
                ');\n'
                'CREATE TABLE public.schema_migrations (version character varying NOT NULL);\n'
                'CREATE TABLE public.users (\n'
                '    id bigint NOT NULL,\n'
                "    email character varying DEFAULT ''::character varying NOT NULL,\n"
                '    created_at timestamp(6) without time zone NOT NULL\n'
                ');\n'
                'CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE '
                'NO MAXVALUE CACHE 1;\n'
                'ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;\n'
                "ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.us"
                "ers_id_seq'::regclass);\n"
                'ALTER TABLE ONLY public.ar_internal_metadata ADD CONSTRAINT ar_internal_meta'
                'data_pkey PRIMARY KEY (key);\n'
                'ALTER TABLE ONLY public.schema_migrations ADD CONSTRAINT schema_migrations_p'
                'key PRIMARY KEY (version);\n'
                'ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n'
                'CREATE UNIQUE INDEX index_users_on_email ON public.users USING btree (email);\n'
                "COMMENT ON TABLE public.users IS 'people who sign in';\n"
                'SET search_path TO "$user", public;\n'
                'INSERT INTO "schema_migrations" (version) VALUES (\'20240101000000\');\n'
            ),
            "20240201000000_posts.sql": (
                'CREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint NOT NULL, title'
                ' varchar, body text, created_at timestamp(6) NOT NULL, updated_at timestamp('
                '6) NOT NULL);\n'
                'CREATE INDEX index_posts_on_user_id ON posts (user_id);\n'
                'ALTER TABLE posts ADD CONSTRAINT fk_rails_5b5ddfd518 FOREIGN KEY (user_id) R'
                'EFERENCES users(id);\n'
                "COMMENT ON COLUMN posts.title IS 'headline';\n"
                'INSERT INTO ar_internal_metadata (key, value, created_at, updated_at) VALUES'
                " ('environment', 'development', '2024-02-01', '2024-02-01') ON CONFLICT (key"
                ') DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;\n'
            ),
            "20240301000000_rename.sql": (
                'ALTER TABLE posts RENAME COLUMN body TO content;\n'
                'ALTER INDEX index_posts_on_user_id RENAME TO index_posts_on_author_id;\n'
                'ALTER TABLE posts RENAME COLUMN user_id TO author_id;\n'
                'ALTER TABLE posts RENAME CONSTRAINT fk_rails_5b5ddfd518 TO fk_rails_posts_au'
                'thor;\n'
                'ALTER TABLE users ADD COLUMN posts_count integer DEFAULT 0 NOT NULL;\n'
                'UPDATE users SET posts_count = (SELECT count(*) FROM posts WHERE posts.autho'
                'r_id = users.id);\n'
            ),
        },
    ),
    "ecto_oban": (
        None,
        {
            "20230101_add_citext.sql": (
                'CREATE EXTENSION IF NOT EXISTS citext;\n'
                'CREATE TABLE accounts (id bigserial PRIMARY KEY, email citext NOT NULL, inse'
                'rted_at timestamp(0) NOT NULL, updated_at timestamp(0) NOT NULL);\n'
                'CREATE UNIQUE INDEX accounts_email_index ON accounts (email);\n'
            ),
            "20230102_oban.sql": (
                'DO $$\n'
                'BEGIN\n'
                "IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'oban_job_state' AND ty"
                "pnamespace = 'public'::regnamespace::oid) THEN\n"
                "    CREATE TYPE public.oban_job_state AS ENUM ('available','scheduled','exec"
                "uting','retryable','completed','discarded');\n"
                'END IF;\n'
                'END$$;\n'
                'CREATE TABLE IF NOT EXISTS public.oban_jobs (\n'
                '  id bigserial PRIMARY KEY,\n'
                "  state public.oban_job_state NOT NULL DEFAULT 'available',\n"
                "  queue text NOT NULL DEFAULT 'default',\n"
                '  worker text NOT NULL,\n'
                "  args jsonb NOT NULL DEFAULT '{}',\n"
                '  errors jsonb[] NOT NULL DEFAULT ARRAY[]::jsonb[],\n'
                '  attempt integer NOT NULL DEFAULT 0,\n'
                '  max_attempts integer NOT NULL DEFAULT 20,\n'
                "  inserted_at timestamp without time zone NOT NULL DEFAULT timezone('UTC', n"
                'ow()),\n'
                "  scheduled_at timestamp without time zone NOT NULL DEFAULT timezone('UTC', "
                'now()),\n'
                '  attempted_at timestamp without time zone,\n'
                '  completed_at timestamp without time zone,\n'
                '  CONSTRAINT attempt_range CHECK (attempt >= 0 AND attempt <= max_attempts),\n'
                '  CONSTRAINT queue_length CHECK (char_length(queue) > 0 AND char_length(queu'
                'e) < 128),\n'
                '  CONSTRAINT worker_length CHECK (char_length(worker) > 0 AND char_length(wo'
                'rker) < 128)\n'
                ');\n'
                'CREATE INDEX IF NOT EXISTS oban_jobs_queue_index ON public.oban_jobs (queue);\n'
                'CREATE INDEX IF NOT EXISTS oban_jobs_state_index ON public.oban_jobs (state);\n'
                'CREATE OR REPLACE FUNCTION public.oban_jobs_notify() RETURNS trigger AS $$\n'
                'DECLARE\n'
                '  channel text;\n'
                '  notice json;\n'
                'BEGIN\n'
                "  IF NEW.state = 'available' THEN\n"
                "    channel = 'public.oban_insert';\n"
                "    notice = json_build_object('queue', NEW.queue);\n"
                '    PERFORM pg_notify(channel, notice::text);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END;\n'
                '$$ LANGUAGE plpgsql;\n'
                'CREATE TRIGGER oban_notify AFTER INSERT ON public.oban_jobs FOR EACH ROW EXE'
                'CUTE PROCEDURE public.oban_jobs_notify();\n'
                "COMMENT ON TABLE public.oban_jobs IS '1';\n"
            ),
            "20230103_oban_v2.sql": (
                "ALTER TYPE public.oban_job_state ADD VALUE IF NOT EXISTS 'cancelled' BEFORE "
                "'discarded';\n"
                'ALTER TABLE public.oban_jobs ADD COLUMN IF NOT EXISTS discarded_at timestamp'
                ' without time zone;\n'
                'ALTER TABLE public.oban_jobs ADD COLUMN IF NOT EXISTS priority integer, ADD '
                'COLUMN IF NOT EXISTS tags varchar(255)[] DEFAULT ARRAY[]::varchar[];\n'
                'DROP TRIGGER IF EXISTS oban_notify ON public.oban_jobs;\n'
                'DROP FUNCTION IF EXISTS public.oban_jobs_notify();\n'
                'DROP INDEX IF EXISTS public.oban_jobs_queue_index;\n'
                'DROP INDEX IF EXISTS public.oban_jobs_state_index;\n'
                'CREATE INDEX IF NOT EXISTS oban_jobs_state_queue_priority_scheduled_at_id_in'
                'dex ON public.oban_jobs (state, queue, priority, scheduled_at, id);\n'
                'ALTER TABLE public.oban_jobs ADD CONSTRAINT priority_range CHECK (priority B'
                'ETWEEN 0 AND 3) NOT VALID;\n'
                'ALTER TABLE public.oban_jobs VALIDATE CONSTRAINT priority_range;\n'
                "COMMENT ON TABLE public.oban_jobs IS '11';\n"
            ),
            "20230104_concurrent.sql": (
                '-- no-transaction\n'
                'CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_inserted_at_index ON accoun'
                'ts (inserted_at);\n'
            ),
        },
    ),
    "typeorm_enum": (
        None,
        {
            "1680000000000-Init.sql": (
                'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n'
                'CREATE TYPE "public"."order_status_enum" AS ENUM(\'pending\', \'paid\');\n'
                'CREATE TABLE "order" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "status'
                '" "public"."order_status_enum" NOT NULL DEFAULT \'pending\', "totalCents" inte'
                'ger NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_1'
                '031171c13130102495201e3e20" PRIMARY KEY ("id"));\n'
                'CREATE TABLE "orderLine" ("id" SERIAL NOT NULL, "orderId" uuid, "sku" charac'
                'ter varying NOT NULL, CONSTRAINT "PK_01a7c973d9f30479647e44f9892" PRIMARY KE'
                'Y ("id"));\n'
                'ALTER TABLE "orderLine" ADD CONSTRAINT "FK_239cfca2a55b98b90b6bef2e44f" FORE'
                'IGN KEY ("orderId") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE NO '
                'ACTION;\n'
                'INSERT INTO "order" ("id", "status", "totalCents") VALUES (\'00000000-0000-00'
                "00-0000-000000000001', 'paid', 100);\n"
            ),
            "1680000000001-Status.sql": (
                'ALTER TYPE "public"."order_status_enum" RENAME TO "order_status_enum_old";\n'
                'CREATE TYPE "public"."order_status_enum" AS ENUM(\'pending\', \'paid\', \'shipped'
                "', 'refunded');\n"
                'ALTER TABLE "order" ALTER COLUMN "status" DROP DEFAULT;\n'
                'ALTER TABLE "order" ALTER COLUMN "status" TYPE "public"."order_status_enum" '
                'USING "status"::"text"::"public"."order_status_enum";\n'
                'ALTER TABLE "order" ALTER COLUMN "status" SET DEFAULT \'pending\';\n'
                'DROP TYPE "public"."order_status_enum_old";\n'
            ),
            "1680000000002-Ship.sql": (
                'ALTER TYPE "public"."order_status_enum" ADD VALUE \'cancelled\';\n'
            ),
            "1680000000003-Use.sql": (
                'UPDATE "order" SET "status" = \'cancelled\' WHERE "totalCents" = 100;\n'
                'ALTER TABLE "orderLine" ADD "quantity" integer NOT NULL DEFAULT 1;\n'
                'ALTER TABLE "orderLine" RENAME COLUMN "sku" TO "productSku";\n'
                'CREATE INDEX "IDX_orderLine_productSku" ON "orderLine" ("productSku");\n'
            ),
        },
    ),
    "sequelize": (
        None,
        {
            "20220101000000-create-user.sql": (
                'CREATE TABLE IF NOT EXISTS "Users" ("id"   SERIAL , "firstName" VARCHAR(255)'
                ', "email" VARCHAR(255), "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, "upda'
                'tedAt" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY ("id"));\n'
                'CREATE TYPE "public"."enum_Users_role" AS ENUM(\'admin\', \'member\');\n'
                'ALTER TABLE "public"."Users" ADD COLUMN "role" "public"."enum_Users_role" DE'
                "FAULT 'member';\n"
            ),
            "20220102000000-change.sql": (
                'ALTER TABLE "Users" ALTER COLUMN "email" SET NOT NULL;ALTER TABLE "Users" AD'
                'D UNIQUE ("email");\n'
                'ALTER TABLE "Users" ALTER COLUMN "firstName" TYPE TEXT;\n'
                'CREATE INDEX "users_created_at" ON "Users" ("createdAt");\n'
            ),
            "20220103000000-seed.sql": (
                'INSERT INTO "Users" ("firstName","email","createdAt","updatedAt","role") VAL'
                "UES ('Ann','ann@x','2022-01-03 00:00:00.000 +00:00','2022-01-03 00:00:00.000"
                " +00:00','admin'),('Bob','bob@x','2022-01-03 00:00:00.000 +00:00','2022-01-0"
                "3 00:00:00.000 +00:00','member');\n"
                'ALTER TABLE "Users" RENAME TO "Accounts";\n'
                'ALTER SEQUENCE "Users_id_seq" RENAME TO "Accounts_id_seq";\n'
            ),
        },
    ),
    "hasura_like": (
        None,
        {
            "1600000000000_init.up.sql": (
                'CREATE EXTENSION IF NOT EXISTS pgcrypto;\n'
                'CREATE SCHEMA IF NOT EXISTS hdb_meta;\n'
                'CREATE TABLE hdb_meta.event_log (id text DEFAULT gen_random_uuid() PRIMARY K'
                'EY, trigger_name text NOT NULL, payload jsonb NOT NULL, delivered boolean NO'
                'T NULL DEFAULT false, created_at timestamp DEFAULT now());\n'
                'CREATE OR REPLACE FUNCTION hdb_meta.notify_insert_user() RETURNS trigger LAN'
                'GUAGE plpgsql AS $$\n'
                'BEGIN\n'
                "  INSERT INTO hdb_meta.event_log (trigger_name, payload) VALUES ('user_inser"
                "t', json_build_object('new', NEW.name)::jsonb);\n"
                '  RETURN NULL;\n'
                'END;\n'
                '$$;\n'
                'CREATE TABLE public.users (id uuid DEFAULT gen_random_uuid() NOT NULL, name '
                'text NOT NULL, created_at timestamptz DEFAULT now() NOT NULL, updated_at tim'
                'estamptz DEFAULT now() NOT NULL);\n'
                'ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n'
                'CREATE FUNCTION public.set_current_timestamp_updated_at() RETURNS trigger LA'
                'NGUAGE plpgsql AS $$\n'
                'DECLARE\n'
                '  _new record;\n'
                'BEGIN\n'
                '  _new := NEW;\n'
                '  _new."updated_at" = NOW();\n'
                '  RETURN _new;\n'
                'END;\n'
                '$$;\n'
                'CREATE TRIGGER set_public_users_updated_at BEFORE UPDATE ON public.users FOR'
                ' EACH ROW EXECUTE PROCEDURE public.set_current_timestamp_updated_at();\n'
                "COMMENT ON TRIGGER set_public_users_updated_at ON public.users IS 'trigger t"
                'o set value of column "updated_at" to current timestamp on row update\';\n'
                'CREATE TRIGGER notify_hasura_user_insert AFTER INSERT ON public.users FOR EA'
                'CH ROW EXECUTE FUNCTION hdb_meta.notify_insert_user();\n'
            ),
            "1600000000001_todos.up.sql": (
                'CREATE TABLE public.todos (id serial PRIMARY KEY, title text NOT NULL, is_co'
                'mpleted boolean DEFAULT false NOT NULL, user_id uuid NOT NULL REFERENCES pub'
                'lic.users(id) ON UPDATE restrict ON DELETE cascade);\n'
                "INSERT INTO public.users (id, name) VALUES ('7b4c2d1e-0000-4000-8000-0000000"
                "00001', 'alice');\n"
                "INSERT INTO public.todos (title, user_id) VALUES ('first', '7b4c2d1e-0000-40"
                "00-8000-000000000001');\n"
            ),
            "1600000000002_alter.up.sql": (
                'alter table "public"."todos" add column "due" date null;\n'
                'alter table "public"."todos" rename column "is_completed" to "done";\n'
                'DROP TRIGGER IF EXISTS notify_hasura_user_insert ON public.users;\n'
                'CREATE TRIGGER notify_hasura_user_insert AFTER INSERT OR UPDATE ON public.us'
                'ers FOR EACH ROW EXECUTE FUNCTION hdb_meta.notify_insert_user();\n'
            ),
        },
    ),
    "supabase_rls": (
        (
            'CREATE SCHEMA auth;\n'
            'CREATE ROLE fr11_anon NOLOGIN;\n'
            'CREATE ROLE fr11_authenticated NOLOGIN;\n'
            'CREATE ROLE fr11_service NOLOGIN BYPASSRLS;\n'
            'CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);\n'
            'CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nul'
            "lif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;\n"
        ),
        {
            "20240101000000_profiles.sql": (
                'create table public.profiles (\n'
                '  id uuid not null references auth.users on delete cascade,\n'
                '  username text unique,\n'
                '  avatar_url text,\n'
                '  updated_at timestamp with time zone,\n'
                '  primary key (id),\n'
                '  constraint username_length check (char_length(username) >= 3)\n'
                ');\n'
                'alter table public.profiles enable row level security;\n'
                'create policy "Public profiles are viewable by everyone." on profiles for se'
                'lect using ( true );\n'
                'create policy "Users can insert their own profile." on profiles for insert w'
                'ith check ( auth.uid() = id );\n'
                'create policy "Users can update own profile." on profiles for update using ('
                ' auth.uid() = id );\n'
                'grant select on public.profiles to fr11_anon, fr11_authenticated;\n'
                'grant all on public.profiles to fr11_service;\n'
            ),
            "20240102000000_handle_new_user.sql": (
                'create or replace function public.handle_new_user()\n'
                'returns trigger\n'
                'language plpgsql\n'
                'security definer set search_path = public\n'
                'as $$\n'
                'begin\n'
                '  insert into public.profiles (id, avatar_url)\n'
                "  values (new.id, 'x');\n"
                '  return new;\n'
                'end;\n'
                '$$;\n'
                'create trigger on_auth_user_created\n'
                '  after insert on auth.users\n'
                '  for each row execute procedure public.handle_new_user();\n'
                'revoke execute on function public.handle_new_user() from public;\n'
            ),
            "20240103000000_teams.sql": (
                'create table public.teams (id bigint generated by default as identity primar'
                'y key, name text not null, owner uuid not null default auth.uid() references'
                ' public.profiles(id));\n'
                'alter table public.teams enable row level security;\n'
                'create table public.team_members (team_id bigint references public.teams on '
                'delete cascade, user_id uuid references public.profiles on delete cascade, r'
                "ole text not null default 'member', primary key (team_id, user_id));\n"
                'alter table public.team_members enable row level security;\n'
                'create or replace function public.is_team_member(_team_id bigint) returns bo'
                "olean language sql security definer stable set search_path = '' as $$\n"
                '  select exists (select 1 from public.team_members where team_id = _team_id '
                'and user_id = auth.uid());\n'
                '$$;\n'
                'create policy "members read team" on public.teams for select to fr11_authent'
                'icated using (public.is_team_member(id));\n'
                'create policy "owner manages" on public.teams for all to fr11_authenticated '
                'using (owner = (select auth.uid())) with check (owner = (select auth.uid()));\n'
                'create policy "members read members" on public.team_members for select to fr'
                '11_authenticated using (public.is_team_member(team_id));\n'
                'grant usage on schema public to fr11_anon, fr11_authenticated;\n'
                'grant select, insert, update, delete on all tables in schema public to fr11_'
                'authenticated;\n'
                'alter default privileges in schema public grant select on tables to fr11_anon;\n'
            ),
            "20240104000000_rename_policy.sql": (
                'alter policy "owner manages" on public.teams rename to "owners manage their '
                'teams";\n'
                'drop policy "Public profiles are viewable by everyone." on profiles;\n'
                'create policy "profiles visible to signed in" on profiles for select to fr11'
                '_authenticated using (true);\n'
                'alter table public.profiles force row level security;\n'
                'create table public.audit (id bigserial primary key, at timestamptz default '
                'now());\n'
            ),
        },
    ),
    "multitenant": (
        None,
        {
            "001_base.sql": (
                'CREATE SCHEMA tenant_template;\n'
                'CREATE TABLE tenant_template.items (id serial PRIMARY KEY, name text NOT NULL);\n'
                'CREATE TABLE public.tenants (id serial PRIMARY KEY, slug text UNIQUE NOT NULL);\n'
                'CREATE FUNCTION public.create_tenant(_slug text) RETURNS void LANGUAGE plpgs'
                'ql AS $$\n'
                'BEGIN\n'
                "  EXECUTE format('CREATE SCHEMA %I', 'tenant_' || _slug);\n"
                "  EXECUTE format('CREATE TABLE %I.items (LIKE tenant_template.items INCLUDIN"
                "G ALL)', 'tenant_' || _slug);\n"
                '  INSERT INTO public.tenants (slug) VALUES (_slug);\n'
                'END $$;\n'
            ),
            "002_tenants.sql": (
                "SELECT public.create_tenant('acme');\n"
                "SELECT public.create_tenant('globex');\n"
            ),
            "003_alter_all.sql": (
                'DO $$\n'
                'DECLARE s text;\n'
                'BEGIN\n'
                "  FOR s IN SELECT 'tenant_' || slug FROM public.tenants ORDER BY slug LOOP\n"
                "    EXECUTE format('SET LOCAL search_path TO %I', s);\n"
                "    EXECUTE 'ALTER TABLE items ADD COLUMN price numeric(10,2) DEFAULT 0';\n"
                '  END LOOP;\n'
                'END $$;\n'
                'RESET search_path;\n'
                'ALTER TABLE tenant_template.items ADD COLUMN price numeric(10,2) DEFAULT 0;\n'
            ),
        },
    ),
    "generated_exclusion": (
        None,
        {
            "0001.sql": (
                'CREATE EXTENSION IF NOT EXISTS btree_gist;\n'
                'CREATE TABLE rooms (id int PRIMARY KEY, name text);\n'
                'CREATE TABLE bookings (\n'
                '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n'
                '  room_id int NOT NULL REFERENCES rooms,\n'
                '  during tstzrange NOT NULL,\n'
                '  price_cents int NOT NULL,\n'
                '  tax_cents int GENERATED ALWAYS AS (price_cents * 20 / 100) STORED,\n'
                '  EXCLUDE USING gist (room_id WITH =, during WITH &&)\n'
                ');\n'
                "INSERT INTO rooms VALUES (1, 'a'), (2, 'b');\n"
                "INSERT INTO bookings (room_id, during, price_cents) VALUES (1, '[2024-01-01,"
                "2024-01-02)', 1000), (1, '[2024-01-02,2024-01-03)', 2000);\n"
            ),
            "0002.sql": (
                'ALTER TABLE bookings ADD COLUMN total_cents int GENERATED ALWAYS AS (price_c'
                'ents + price_cents * 20 / 100) STORED;\n'
                'ALTER TABLE bookings RENAME CONSTRAINT bookings_room_id_during_excl TO no_do'
                'uble_booking;\n'
                'ALTER TABLE bookings ALTER COLUMN tax_cents DROP EXPRESSION;\n'
                'UPDATE bookings SET price_cents = price_cents + 1 WHERE id = 1;\n'
            ),
            "0003.sql": (
                'CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);\n'
                "ALTER TABLE rooms ADD COLUMN temp floatrange DEFAULT '[18,22]';\n"
                "INSERT INTO rooms (id, name) VALUES (3, 'c');\n"
            ),
        },
    ),
    "tsvector": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE articles (id serial PRIMARY KEY, title text NOT NULL, body text'
                " NOT NULL DEFAULT '', tsv tsvector);\n"
                'CREATE INDEX articles_tsv_idx ON articles USING gin (tsv);\n'
                'CREATE FUNCTION articles_tsv_trigger() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                'begin\n'
                "  new.tsv := setweight(to_tsvector('pg_catalog.english', coalesce(new.title,"
                "'')), 'A') || setweight(to_tsvector('pg_catalog.english', coalesce(new.body,"
                "'')), 'D');\n"
                '  return new;\n'
                'end\n'
                '$$;\n'
                'CREATE TRIGGER tsvectorupdate BEFORE INSERT OR UPDATE ON articles FOR EACH R'
                'OW EXECUTE FUNCTION articles_tsv_trigger();\n'
                "INSERT INTO articles (title, body) VALUES ('Hello world', 'first post'), ('S"
                "econd', 'more text');\n"
            ),
            "0002.sql": (
                'ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsve'
                "ctor('simple', title)) STORED;\n"
                'CREATE INDEX articles_search_idx ON articles USING gin (search);\n'
                'DROP TRIGGER tsvectorupdate ON articles;\n'
                'CREATE TRIGGER tsvectorupdate BEFORE INSERT OR UPDATE OF title, body ON arti'
                'cles FOR EACH ROW EXECUTE FUNCTION articles_tsv_trigger();\n'
                "UPDATE articles SET body = body || '!';\n"
            ),
            "0003.sql": (
                'CREATE TEXT SEARCH CONFIGURATION public.my_english (COPY = pg_catalog.english);\n'
                'ALTER TABLE articles DROP COLUMN search;\n'
                "CREATE INDEX articles_title_trgm ON articles USING gin (to_tsvector('public."
                "my_english'::regconfig, title));\n"
            ),
        },
    ),
    "matview": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE sales (id serial PRIMARY KEY, region text NOT NULL, amount nume'
                'ric(12,2) NOT NULL, sold_on date NOT NULL);\n'
                "INSERT INTO sales (region, amount, sold_on) VALUES ('eu', 10.50, '2024-01-01"
                "'), ('us', 20, '2024-01-02'), ('eu', 5, '2024-02-01');\n"
                'CREATE MATERIALIZED VIEW sales_by_region AS SELECT region, sum(amount) AS to'
                'tal, count(*) AS n FROM sales GROUP BY region WITH NO DATA;\n'
                'CREATE UNIQUE INDEX sales_by_region_region ON sales_by_region (region);\n'
            ),
            "0002.sql": (
                'REFRESH MATERIALIZED VIEW sales_by_region;\n'
                "INSERT INTO sales (region, amount, sold_on) VALUES ('apac', 7, '2024-03-01');\n"
                'REFRESH MATERIALIZED VIEW CONCURRENTLY sales_by_region;\n'
            ),
            "0003.sql": (
                "CREATE MATERIALIZED VIEW monthly AS SELECT date_trunc('month', sold_on)::dat"
                'e AS month, sum(amount) AS total FROM sales GROUP BY 1;\n'
                'ALTER MATERIALIZED VIEW sales_by_region RENAME COLUMN n TO cnt;\n'
                "COMMENT ON MATERIALIZED VIEW monthly IS 'per month';\n"
                'ALTER TABLE sales ALTER COLUMN region SET STATISTICS 500;\n'
            ),
        },
    ),
    "backfill": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE customers (id int PRIMARY KEY, name text, country text);\n'
                'CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customer'
                's, total numeric, customer_name text);\n'
                "INSERT INTO customers VALUES (1, 'Ann', 'FR'), (2, 'Bob', 'DE'), (3, 'Cy', '"
                "FR');\n"
                'INSERT INTO orders (id, customer_id, total) VALUES (10, 1, 5), (11, 2, 7), ('
                '12, 1, 9), (13, 3, 1);\n'
            ),
            "0002.sql": (
                'UPDATE orders o SET customer_name = c.name FROM customers c WHERE c.id = o.c'
                'ustomer_id;\n'
                'ALTER TABLE customers ADD COLUMN order_count int NOT NULL DEFAULT 0;\n'
                'WITH counts AS (SELECT customer_id, count(*) AS n FROM orders GROUP BY custo'
                'mer_id)\n'
                'UPDATE customers SET order_count = counts.n FROM counts WHERE counts.custome'
                'r_id = customers.id;\n'
            ),
            "0003.sql": (
                'CREATE TABLE country_stats (country text PRIMARY KEY, customers int NOT NULL);\n'
                'INSERT INTO country_stats (country, customers) SELECT country, count(*) FROM'
                ' customers GROUP BY country\n'
                'ON CONFLICT (country) DO UPDATE SET customers = EXCLUDED.customers;\n'
                "INSERT INTO country_stats (country, customers) VALUES ('FR', 99) ON CONFLICT"
                ' (country) DO UPDATE SET customers = country_stats.customers + EXCLUDED.cust'
                'omers;\n'
                'DELETE FROM orders o USING customers c WHERE c.id = o.customer_id AND c.coun'
                "try = 'DE';\n"
            ),
        },
    ),
    "domains_composite": (
        None,
        {
            "0001.sql": (
                "CREATE DOMAIN email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');\n"
                'CREATE DOMAIN positive_int AS integer CONSTRAINT positive CHECK (VALUE > 0) '
                'NOT NULL;\n'
                'CREATE TYPE address AS (street text, city text);\n'
                'CREATE TABLE people (id positive_int PRIMARY KEY, mail email, home address);\n'
                "INSERT INTO people VALUES (1, 'a@b.c', ROW('Main St', 'Paris'));\n"
            ),
            "0002.sql": (
                'ALTER TYPE address ADD ATTRIBUTE zip text;\n'
                'ALTER TYPE address RENAME ATTRIBUTE street TO line1;\n'
                "ALTER DOMAIN email SET DEFAULT 'nobody@example.com';\n"
                'ALTER DOMAIN positive_int RENAME CONSTRAINT positive TO positive_check;\n'
                "UPDATE people SET home.zip = '75001' WHERE id = 1;\n"
            ),
            "0003.sql": (
                'ALTER TYPE address DROP ATTRIBUTE IF EXISTS zip;\n'
                'ALTER DOMAIN email RENAME TO email_address;\n'
                'CREATE TABLE contacts (id serial PRIMARY KEY, mail email_address, addr addre'
                'ss[]);\n'
                'INSERT INTO contacts (mail) VALUES (DEFAULT);\n'
            ),
        },
    ),
    "storage_params": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE events (id bigserial PRIMARY KEY, kind text, payload jsonb, cre'
                'ated_at timestamptz NOT NULL DEFAULT now());\n'
                'ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_an'
                'alyze_scale_factor = 0.005);\n'
                'CREATE INDEX events_created_at_idx ON events (created_at) WITH (fillfactor ='
                ' 90);\n'
                'CLUSTER events USING events_created_at_idx;\n'
            ),
            "0002.sql": (
                'ALTER TABLE events RESET (autovacuum_analyze_scale_factor);\n'
                'ALTER TABLE events SET (fillfactor = 80, toast.autovacuum_enabled = false);\n'
                'ALTER INDEX events_created_at_idx SET (fillfactor = 70);\n'
                'ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;\n'
                'ALTER TABLE events SET WITHOUT CLUSTER;\n'
                'ANALYZE events;\n'
            ),
            "0003.sql": (
                'ALTER TABLE events SET UNLOGGED;\n'
                'ALTER TABLE events SET LOGGED;\n'
                'ALTER TABLE events ALTER COLUMN kind SET COMPRESSION pglz;\n'
                'CLUSTER events USING events_pkey;\n'
            ),
        },
    ),
    "seq_identity": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE widgets (id serial PRIMARY KEY, name text);\n'
                "INSERT INTO widgets (name) VALUES ('a'), ('b'), ('c');\n"
                'ALTER SEQUENCE widgets_id_seq RENAME TO widget_ids;\n'
                'CREATE SEQUENCE order_no START 1000;\n'
                "CREATE TABLE orders2 (no int DEFAULT nextval('order_no'), w int);\n"
                'ALTER SEQUENCE order_no OWNED BY orders2.no;\n'
                'INSERT INTO orders2 (w) VALUES (1), (2);\n'
            ),
            "0002.sql": (
                '-- serial to identity (the usual recipe)\n'
                'ALTER TABLE widgets ALTER COLUMN id DROP DEFAULT;\n'
                'DROP SEQUENCE widget_ids;\n'
                'ALTER TABLE widgets ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;\n'
                "SELECT setval(pg_get_serial_sequence('widgets', 'id'), (SELECT max(id) FROM "
                'widgets));\n'
                "INSERT INTO widgets (name) VALUES ('d');\n"
            ),
            "0003.sql": (
                'ALTER TABLE orders2 RENAME COLUMN no TO order_number;\n'
                'ALTER TABLE orders2 RENAME TO purchase_orders;\n'
                'ALTER SEQUENCE order_no RENAME TO purchase_order_no;\n'
                'INSERT INTO purchase_orders (w) VALUES (3);\n'
                'ALTER TABLE widgets ALTER COLUMN id SET GENERATED ALWAYS;\n'
            ),
        },
    ),
    "knex": (
        None,
        {
            "20210101_init.sql": (
                'create table "knex_migrations" ("id" serial primary key, "name" varchar(255)'
                ', "batch" integer, "migration_time" timestamptz);\n'
                'create table "knex_migrations_lock" ("index" serial primary key, "is_locked"'
                ' integer);\n'
                'create table "users" ("id" bigserial primary key, "email" varchar(255) not n'
                'ull, "status" text check ("status" in (\'active\', \'banned\')) default \'active\''
                ', "created_at" timestamptz not null default CURRENT_TIMESTAMP, "updated_at" '
                'timestamptz not null default CURRENT_TIMESTAMP);\n'
                'alter table "users" add constraint "users_email_unique" unique ("email");\n'
                'insert into "users" ("email") values (\'a@x\'), (\'b@x\');\n'
            ),
            "20210102_status.sql": (
                'alter table "users" drop constraint if exists "users_status_check";\n'
                'alter table "users" add constraint "users_status_check" check ("status" in ('
                "'active', 'banned', 'pending'));\n"
                'alter table "users" add column "meta" jsonb not null default \'{}\'::jsonb;\n'
                'update "users" set "meta" = jsonb_set("meta", \'{source}\', \'"import"\') where '
                '"email" = \'a@x\';\n'
                'update "users" set "meta" = "meta" || \'{"v": 2}\'::jsonb;\n'
                'create index "users_meta_gin" on "users" using gin ("meta" jsonb_path_ops);\n'
            ),
            "20210103_rename.sql": (
                'alter table "users" rename "email" to "email_address";\n'
                'alter table "users" alter column "email_address" type text;\n'
                'alter table "users" alter column "status" set not null;\n'
                'create unique index "users_email_lower" on "users" (lower("email_address"));\n'
            ),
        },
    ),
    "enum_add_use_same_file": (
        None,
        {
            "0001.sql": (
                "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
                'CREATE TABLE person (id int, m mood);\n'
            ),
            "0002.sql": (
                '-- no-transaction\n'
                "ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy';\n"
                "INSERT INTO person VALUES (1, 'meh');\n"
                "UPDATE person SET m = 'sad' WHERE m > 'happy';\n"
            ),
        },
    ),
    "table_swap": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name '
                'text);\n'
                "INSERT INTO users (email, name) VALUES ('a@x', 'A'), ('b@x', 'B');\n"
                'CREATE INDEX users_name_idx ON users (name);\n'
                'CREATE VIEW active_users AS SELECT id, email FROM users;\n'
            ),
            "0002.sql": (
                'CREATE TABLE users_new (LIKE users INCLUDING ALL);\n'
                "ALTER TABLE users_new ADD COLUMN signup_source text NOT NULL DEFAULT 'web';\n"
                'INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;\n'
                'DROP VIEW active_users;\n'
                'ALTER TABLE users RENAME TO users_old;\n'
                'ALTER TABLE users_new RENAME TO users;\n'
                'ALTER SEQUENCE users_id_seq OWNED BY users.id;\n'
                'DROP TABLE users_old;\n'
                'CREATE VIEW active_users AS SELECT id, email, signup_source FROM users;\n'
                "INSERT INTO users (email, name) VALUES ('c@x', 'C');\n"
            ),
        },
    ),
    "soft_delete": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE accounts (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KE'
                'Y, email text NOT NULL, deleted_at timestamptz);\n'
                'CREATE UNIQUE INDEX accounts_email_live ON accounts (email) WHERE deleted_at'
                ' IS NULL;\n'
                "INSERT INTO accounts (email) VALUES ('a@x'), ('b@x');\n"
                "UPDATE accounts SET deleted_at = '2024-01-01' WHERE email = 'b@x';\n"
                "INSERT INTO accounts (email) VALUES ('b@x');\n"
            ),
            "0002.sql": (
                "INSERT INTO accounts (email) VALUES ('a@x'), ('c@x') ON CONFLICT (email) WHE"
                'RE deleted_at IS NULL DO NOTHING;\n'
                "INSERT INTO accounts (email) SELECT 'gen' || g FROM generate_series(1, 3) g "
                'ON CONFLICT DO NOTHING;\n'
            ),
            "0003.sql": (
                'ALTER TABLE accounts ADD COLUMN lower_email text GENERATED ALWAYS AS (lower('
                'email)) STORED;\n'
                'DROP INDEX accounts_email_live;\n'
                'CREATE UNIQUE INDEX accounts_lower_email_live ON accounts (lower_email) WHER'
                'E deleted_at IS NULL;\n'
            ),
        },
    ),
    "view_chain": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE products (id int PRIMARY KEY, name text, price numeric(8,2), ac'
                'tive boolean DEFAULT true);\n'
                'CREATE VIEW active_products AS SELECT id, name, price FROM products WHERE ac'
                'tive;\n'
                'CREATE VIEW cheap_products AS SELECT id, name FROM active_products WHERE pri'
                'ce < 10;\n'
            ),
            "0002.sql": (
                'CREATE OR REPLACE VIEW active_products AS SELECT id, name, price, price * 1.'
                '2 AS price_with_tax FROM products WHERE active;\n'
                'DROP VIEW cheap_products;\n'
                'DROP VIEW active_products;\n'
                'ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);\n'
                'CREATE VIEW active_products AS SELECT id, name, price FROM products WHERE ac'
                'tive;\n'
                'CREATE VIEW cheap_products AS SELECT id, name FROM active_products WHERE pri'
                'ce < 10;\n'
            ),
            "0003.sql": (
                'DROP VIEW active_products CASCADE;\n'
                'ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2);\n'
                'CREATE VIEW active_products WITH (security_invoker = true) AS SELECT id, nam'
                'e, price FROM products WHERE active;\n'
                'ALTER VIEW active_products SET (security_barrier = true);\n'
                "COMMENT ON VIEW active_products IS 'live';\n"
                'ALTER TABLE products REPLICA IDENTITY FULL;\n'
            ),
        },
    ),
    "functions": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE t1 (id int PRIMARY KEY, v int);\n'
                "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SEL"
                "ECT a + b';\n"
                'CREATE FUNCTION add(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUT'
                "ABLE AS 'SELECT a + b';\n"
                "CREATE FUNCTION stats(OUT n bigint, OUT total bigint) LANGUAGE sql AS 'SELEC"
                "T count(*), sum(v) FROM t1';\n"
                'CREATE FUNCTION rows_over(x int) RETURNS TABLE (id int, v int) LANGUAGE sql '
                'STABLE AS $$ SELECT id, v FROM t1 WHERE v > x $$;\n'
            ),
            "0002.sql": (
                'DROP FUNCTION add(numeric, numeric);\n'
                'ALTER FUNCTION add(int, int) SET search_path = pg_catalog, public;\n'
                'ALTER FUNCTION add(int, int) RENAME TO plus;\n'
                'DROP FUNCTION rows_over(int);\n'
                'CREATE FUNCTION rows_over(x int) RETURNS TABLE (id int, v int, doubled int) '
                'LANGUAGE sql STABLE AS $$ SELECT id, v, v * 2 FROM t1 WHERE v > x $$;\n'
                'CREATE PROCEDURE bump(by_ int DEFAULT 1) LANGUAGE plpgsql AS $$ BEGIN UPDATE'
                ' t1 SET v = v + by_; END $$;\n'
                'INSERT INTO t1 VALUES (1, 1), (2, 5);\n'
                'CALL bump(2);\n'
            ),
            "0003.sql": (
                'CREATE OR REPLACE FUNCTION plus(a int, b int) RETURNS int LANGUAGE plpgsql I'
                'MMUTABLE STRICT PARALLEL SAFE AS $$ BEGIN RETURN a + b; END $$;\n'
                "COMMENT ON FUNCTION plus(int, int) IS 'adds';\n"
                'ALTER PROCEDURE bump(int) RENAME TO bump_all;\n'
                'GRANT EXECUTE ON FUNCTION plus(int, int) TO PUBLIC;\n'
                'REVOKE ALL ON FUNCTION stats() FROM PUBLIC;\n'
            ),
        },
    ),
    "triggers_adv": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE inventory (sku text PRIMARY KEY, qty int NOT NULL DEFAULT 0);\n'
                'CREATE TABLE inventory_audit (sku text, old_qty int, new_qty int);\n'
                'CREATE FUNCTION audit_qty() RETURNS trigger LANGUAGE plpgsql AS $$\n'
                'BEGIN INSERT INTO inventory_audit SELECT n.sku, o.qty, n.qty FROM new_rows n'
                ' JOIN old_rows o USING (sku); RETURN NULL; END $$;\n'
                'CREATE TRIGGER inv_audit AFTER UPDATE ON inventory REFERENCING OLD TABLE AS '
                'old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_qty();\n'
                'CREATE FUNCTION no_negative() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN R'
                "AISE EXCEPTION 'negative'; END $$;\n"
                'CREATE TRIGGER inv_check BEFORE UPDATE ON inventory FOR EACH ROW WHEN (NEW.q'
                'ty < 0) EXECUTE FUNCTION no_negative();\n'
            ),
            "0002.sql": (
                "INSERT INTO inventory VALUES ('a', 5), ('b', 3);\n"
                'UPDATE inventory SET qty = qty - 1;\n'
                'ALTER TABLE inventory DISABLE TRIGGER inv_audit;\n'
                "UPDATE inventory SET qty = qty + 10 WHERE sku = 'a';\n"
                'ALTER TABLE inventory ENABLE TRIGGER inv_audit;\n'
            ),
            "0003.sql": (
                'ALTER TRIGGER inv_check ON inventory RENAME TO inv_nonneg;\n'
                'CREATE CONSTRAINT TRIGGER inv_late AFTER INSERT ON inventory DEFERRABLE INIT'
                'IALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_qty();\n'
                'DROP TRIGGER inv_late ON inventory;\n'
                'ALTER TABLE inventory ENABLE REPLICA TRIGGER inv_audit;\n'
            ),
        },
    ),
    "privileges": (
        None,
        {
            "0001.sql": (
                'DO $$ BEGIN CREATE ROLE fr11_app NOLOGIN; EXCEPTION WHEN duplicate_object TH'
                'EN NULL; END $$;\n'
                'DO $$ BEGIN CREATE ROLE fr11_ro NOLOGIN; EXCEPTION WHEN duplicate_object THE'
                'N NULL; END $$;\n'
                'CREATE SCHEMA app AUTHORIZATION fr11_app;\n'
                'CREATE TABLE app.secrets (id int PRIMARY KEY, label text, value text);\n'
                'GRANT SELECT (id, label) ON app.secrets TO fr11_ro;\n'
                'GRANT USAGE ON SCHEMA app TO fr11_ro;\n'
                'ALTER DEFAULT PRIVILEGES FOR ROLE fr11_app IN SCHEMA app GRANT SELECT ON TAB'
                'LES TO fr11_ro;\n'
            ),
            "0002.sql": (
                'ALTER TABLE app.secrets OWNER TO fr11_app;\n'
                'REVOKE SELECT (label) ON app.secrets FROM fr11_ro;\n'
                'GRANT UPDATE (label) ON app.secrets TO fr11_ro WITH GRANT OPTION;\n'
                'ALTER TABLE app.secrets RENAME COLUMN label TO name;\n'
                'CREATE SEQUENCE app.ids;\n'
                'GRANT USAGE, SELECT ON SEQUENCE app.ids TO fr11_ro;\n'
                'ALTER DEFAULT PRIVILEGES FOR ROLE fr11_app IN SCHEMA app REVOKE SELECT ON TA'
                'BLES FROM fr11_ro;\n'
            ),
        },
    ),
    "uuid_backfill": (
        None,
        {
            "0001.sql": (
                'CREATE EXTENSION IF NOT EXISTS pgcrypto;\n'
                'CREATE TABLE docs (id serial PRIMARY KEY, title text);\n'
                "INSERT INTO docs (title) VALUES ('a'), ('b');\n"
            ),
            "0002.sql": (
                'ALTER TABLE docs ADD COLUMN public_id uuid;\n'
                'UPDATE docs SET public_id = gen_random_uuid() WHERE public_id IS NULL;\n'
                'ALTER TABLE docs ALTER COLUMN public_id SET NOT NULL;\n'
                'ALTER TABLE docs ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n'
                'CREATE UNIQUE INDEX docs_public_id ON docs (public_id);\n'
                "INSERT INTO docs (title) VALUES ('c');\n"
            ),
        },
    ),
    "cte_insert": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE authors (id serial PRIMARY KEY, name text UNIQUE);\n'
                'CREATE TABLE books (id serial PRIMARY KEY, author_id int REFERENCES authors,'
                ' title text);\n'
            ),
            "0002.sql": (
                "WITH a AS (INSERT INTO authors (name) VALUES ('Le Guin') RETURNING id)\n"
                "INSERT INTO books (author_id, title) SELECT id, 'Earthsea' FROM a;\n"
                "INSERT INTO authors (name) VALUES ('Herbert');\n"
                "INSERT INTO books (author_id, title) SELECT id, 'Dune' FROM authors WHERE na"
                "me = 'Herbert';\n"
            ),
            "0003.sql": (
                'ALTER TABLE books ADD COLUMN isbn text;\n'
                "UPDATE books b SET isbn = 'x-' || b.id FROM authors a WHERE a.id = b.author_"
                "id AND a.name LIKE 'H%';\n"
                "DELETE FROM books WHERE isbn IS NULL AND title = 'nothing';\n"
            ),
        },
    ),
    "enum_default_later": (
        None,
        {
            "0001.sql": (
                "CREATE TYPE plan AS ENUM ('free', 'pro');\n"
                "CREATE TABLE subs (id int PRIMARY KEY, p plan NOT NULL DEFAULT 'free');\n"
                "INSERT INTO subs VALUES (1, 'pro'), (2, DEFAULT);\n"
            ),
            "0002.sql": (
                "ALTER TYPE plan ADD VALUE 'team' BEFORE 'pro';\n"
            ),
            "0003.sql": (
                "ALTER TABLE subs ALTER COLUMN p SET DEFAULT 'team';\n"
                'INSERT INTO subs (id) VALUES (3);\n'
                "UPDATE subs SET p = 'team' WHERE p = 'free';\n"
                "ALTER TYPE plan RENAME VALUE 'free' TO 'hobby';\n"
                "CREATE INDEX subs_team ON subs (id) WHERE p = 'team';\n"
            ),
        },
    ),
    "do_format_search_path": (
        None,
        {
            "0001.sql": (
                'CREATE SCHEMA reporting;\n'
                'DO $$\n'
                'BEGIN\n'
                "  PERFORM set_config('search_path', 'reporting, public', true);\n"
                "  EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, label text)', 'daily');\n"
                "  EXECUTE format('CREATE TABLE %I.%I (id int)', 'public', 'plain_t');\n"
                'END $$;\n'
            ),
            "0002.sql": (
                "INSERT INTO reporting.daily VALUES (1, 'x');\n"
                'ALTER TABLE reporting.daily ADD COLUMN n int DEFAULT 0;\n'
            ),
        },
    ),
    "identity_start_fix": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE things (id serial PRIMARY KEY, v text);\n'
                "INSERT INTO things (v) VALUES ('a'), ('b'), ('c');\n"
            ),
            "0002.sql": (
                'ALTER TABLE things ALTER COLUMN id DROP DEFAULT;\n'
                'DROP SEQUENCE things_id_seq;\n'
                'ALTER TABLE things ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START W'
                'ITH 4);\n'
                "INSERT INTO things (v) VALUES ('d');\n"
                'ALTER TABLE things ALTER COLUMN id SET INCREMENT BY 10;\n'
                "INSERT INTO things (v) VALUES ('e');\n"
            ),
            "0003.sql": (
                'CREATE SEQUENCE shared_seq;\n'
                "CREATE TABLE shared_a (id int DEFAULT nextval('shared_seq'::regclass), n int);\n"
                "CREATE TABLE shared_b (id int DEFAULT nextval('shared_seq'), n int);\n"
                'INSERT INTO shared_a (n) VALUES (1);\n'
                'INSERT INTO shared_b (n) VALUES (1), (2);\n'
                'INSERT INTO shared_a (n) VALUES (3);\n'
            ),
        },
    ),
    "comments_renames": (
        None,
        {
            "0001.sql": (
                'CREATE TABLE t (id int PRIMARY KEY, a text, CONSTRAINT a_len CHECK (length(a'
                ') < 10));\n'
                "COMMENT ON COLUMN t.a IS 'the a';\n"
                "COMMENT ON CONSTRAINT a_len ON t IS 'short';\n"
                'CREATE INDEX t_a ON t (a);\n'
                "COMMENT ON INDEX t_a IS 'lookup';\n"
                "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';\n"
                "COMMENT ON FUNCTION f(int) IS 'identity';\n"
                'CREATE SCHEMA s;\n'
                "COMMENT ON SCHEMA s IS 'stuff';\n"
            ),
            "0002.sql": (
                'ALTER TABLE t RENAME COLUMN a TO b;\n'
                'ALTER TABLE t RENAME CONSTRAINT a_len TO b_len;\n'
                'ALTER INDEX t_a RENAME TO t_b;\n'
                'ALTER FUNCTION f(int) RENAME TO g;\n'
                'ALTER SCHEMA s RENAME TO s2;\n'
                'ALTER TABLE t SET SCHEMA s2;\n'
                'COMMENT ON COLUMN s2.t.b IS NULL;\n'
            ),
        },
    ),
    "rails_structure2": (
        None,
        {
            "20240101000000_a.sql": (
                'SET statement_timeout = 0;\n'
                'SET lock_timeout = 0;\n'
                'SET idle_in_transaction_session_timeout = 0;\n'
                "SET client_encoding = 'UTF8';\n"
                'SET standard_conforming_strings = on;\n'
                "SELECT pg_catalog.set_config('search_path', '', false);\n"
                'SET check_function_bodies = false;\n'
                'SET xmloption = content;\n'
                'SET client_min_messages = warning;\n'
                'SET row_security = off;\n'
                'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\n'
                "COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searc"
                "hing based on trigram matching';\n"
                "CREATE TYPE public.visibility AS ENUM ('public', 'private');\n"
                'CREATE FUNCTION public.touch_updated_at() RETURNS trigger\n'
                '    LANGUAGE plpgsql\n'
                '    AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END; $$;\n'
                "SET default_tablespace = '';\n"
                'SET default_table_access_method = heap;\n'
                'CREATE TABLE public.projects (\n'
                '    id bigint NOT NULL,\n'
                '    name character varying NOT NULL,\n'
                "    visibility public.visibility DEFAULT 'private'::public.visibility NOT NULL,\n"
                "    settings jsonb DEFAULT '{}'::jsonb NOT NULL,\n"
                '    created_at timestamp(6) without time zone NOT NULL,\n'
                '    updated_at timestamp(6) without time zone NOT NULL\n'
                ');\n'
                'CREATE SEQUENCE public.projects_id_seq\n'
                '    START WITH 1\n'
                '    INCREMENT BY 1\n'
                '    NO MINVALUE\n'
                '    NO MAXVALUE\n'
                '    CACHE 1;\n'
                'ALTER SEQUENCE public.projects_id_seq OWNED BY public.projects.id;\n'
                "ALTER TABLE ONLY public.projects ALTER COLUMN id SET DEFAULT nextval('public"
                ".projects_id_seq'::regclass);\n"
                'ALTER TABLE ONLY public.projects\n'
                '    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);\n'
                'CREATE INDEX index_projects_on_name_trgm ON public.projects USING gin (name '
                'public.gin_trgm_ops);\n'
                'CREATE TRIGGER projects_touch BEFORE UPDATE ON public.projects FOR EACH ROW '
                'EXECUTE FUNCTION public.touch_updated_at();\n'
                'SET search_path TO "$user", public;\n'
            ),
            "20240201000000_b.sql": (
                'ALTER TABLE projects ADD COLUMN archived_at timestamp(6);\n'
                'CREATE INDEX index_projects_on_archived_at ON projects (archived_at) WHERE a'
                'rchived_at IS NOT NULL;\n'
                "INSERT INTO projects (name, created_at, updated_at) VALUES ('alpha', '2024-0"
                "2-01', '2024-02-01');\n"
            ),
        },
    ),
    "hasura_event_log": (
        None,
        {
            "1_init.up.sql": (
                'CREATE EXTENSION IF NOT EXISTS pgcrypto;\n'
                'CREATE SCHEMA IF NOT EXISTS hdb_events;\n'
                'CREATE TABLE hdb_events.event_log (id uuid DEFAULT gen_random_uuid() PRIMARY'
                ' KEY, trigger_name text, payload jsonb);\n'
                'CREATE OR REPLACE FUNCTION hdb_events.on_user() RETURNS trigger LANGUAGE plp'
                'gsql AS $$\n'
                'BEGIN\n'
                '  INSERT INTO hdb_events.event_log (trigger_name, payload) VALUES (TG_ARGV[0'
                "], jsonb_build_object('op', TG_OP, 'id', NEW.id));\n"
                '  RETURN NULL;\n'
                'END $$;\n'
                'CREATE TABLE users (id int PRIMARY KEY, name text);\n'
                'CREATE TRIGGER users_evt AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUT'
                "E FUNCTION hdb_events.on_user('user_changed');\n"
                'CREATE TABLE orgs (id int PRIMARY KEY, owner int REFERENCES users ON DELETE '
                'CASCADE);\n'
            ),
            "2_seed.up.sql": (
                "INSERT INTO users VALUES (1, 'a'), (2, 'b');\n"
                'INSERT INTO orgs VALUES (10, 1), (20, 2);\n'
                'UPDATE users SET name = upper(name);\n'
                'DELETE FROM users WHERE id = 2;\n'
            ),
            "3_alter.up.sql": (
                "ALTER TABLE orgs ADD COLUMN name text DEFAULT 'org';\n"
                'ALTER TABLE users ADD COLUMN email text;\n'
            ),
        },
    ),
    "supabase_ext": (
        (
            'CREATE SCHEMA extensions;\n'
            'CREATE SCHEMA storage;\n'
            'CREATE TABLE storage.objects (id uuid PRIMARY KEY, bucket_id text, name text'
            ', owner uuid);\n'
            'CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IM'
            "MUTABLE AS $$ SELECT string_to_array(name, '/') $$;\n"
            'CREATE SCHEMA auth;\n'
            'CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NUL'
            'L::uuid $$;\n'
            "CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'a"
            "non'::text $$;\n"
            'DO $$ BEGIN CREATE ROLE fr11_authed NOLOGIN; EXCEPTION WHEN duplicate_object'
            ' THEN NULL; END $$;\n'
        ),
        {
            "20240101000000_ext.sql": (
                'create extension if not exists "uuid-ossp" with schema extensions;\n'
                'create extension if not exists citext with schema extensions;\n'
                'create table public.notes (id uuid primary key default extensions.uuid_gener'
                'ate_v4(), body extensions.citext, owner uuid default auth.uid());\n'
                'alter table public.notes enable row level security;\n'
                'create policy "own notes" on public.notes as permissive for all to fr11_auth'
                'ed using (owner = auth.uid()) with check (owner = auth.uid());\n'
                'create policy "Avatar images are publicly accessible." on storage.objects fo'
                "r select using ( bucket_id = 'avatars' );\n"
                'create policy "Users upload to own folder" on storage.objects for insert to '
                "fr11_authed with check ( bucket_id = 'avatars' and (storage.foldername(name)"
                ')[1] = auth.uid()::text );\n'
            ),
            "20240102000000_more.sql": (
                'alter policy "own notes" on public.notes to fr11_authed, public;\n'
                'create policy "restrict" on public.notes as restrictive for delete using (au'
                "th.role() = 'service_role');\n"
                'drop policy "Avatar images are publicly accessible." on storage.objects;\n'
                "alter table public.notes add column tags extensions.citext[] default '{}';\n"
                'create index notes_body on public.notes (body);\n'
            ),
        },
    ),
    "oban_like_partial": (
        None,
        {
            "001.sql": (
                "CREATE TABLE jobs (id bigserial PRIMARY KEY, state text NOT NULL DEFAULT 'av"
                "ailable', queue text NOT NULL, args jsonb NOT NULL DEFAULT '{}', unique_key "
                'text);\n'
                'CREATE UNIQUE INDEX jobs_unique ON jobs (queue, unique_key) WHERE state IN ('
                "'available', 'scheduled');\n"
                "INSERT INTO jobs (queue, unique_key) VALUES ('default', 'k1') ON CONFLICT (q"
                "ueue, unique_key) WHERE state IN ('available', 'scheduled') DO NOTHING;\n"
                "INSERT INTO jobs (queue, unique_key) VALUES ('default', 'k1') ON CONFLICT (q"
                "ueue, unique_key) WHERE state IN ('available', 'scheduled') DO NOTHING;\n"
            ),
            "002.sql": (
                'ALTER TABLE jobs ADD COLUMN priority int NOT NULL DEFAULT 0;\n'
                "CREATE INDEX jobs_fetch ON jobs (queue, priority, id) WHERE state = 'available';\n"
                "UPDATE jobs SET state = 'completed' WHERE unique_key = 'k1';\n"
            ),
            "003.sql": (
                'DROP INDEX jobs_unique;\n'
                'CREATE UNIQUE INDEX jobs_unique ON jobs (queue, unique_key) WHERE state IN ('
                "'available', 'scheduled', 'executing');\n"
            ),
        },
    ),
    "range_types": (
        None,
        {
            "001.sql": (
                'CREATE TABLE prices (id int PRIMARY KEY, valid daterange NOT NULL, amount nu'
                'meric);\n'
                "INSERT INTO prices VALUES (1, '[2024-01-01,2024-06-01)', 10), (2, daterange("
                "'2024-06-01', NULL), 12);\n"
                'CREATE INDEX prices_valid ON prices USING gist (valid);\n'
            ),
            "002.sql": (
                'ALTER TABLE prices ADD COLUMN periods datemultirange;\n'
                'UPDATE prices SET periods = datemultirange(valid);\n'
                'ALTER TABLE prices ALTER COLUMN valid TYPE tsrange USING tsrange(lower(valid'
                '), upper(valid));\n'
            ),
        },
    ),
    "collation_citext_email": (
        None,
        {
            "001.sql": (
                'CREATE EXTENSION IF NOT EXISTS citext;\n'
                'CREATE TABLE members (id serial PRIMARY KEY, email citext UNIQUE, nick text '
                'COLLATE "C");\n'
                "INSERT INTO members (email, nick) VALUES ('A@X.com', 'zed'), ('b@x.com', 'Amy');\n"
            ),
            "002.sql": (
                'ALTER TABLE members ALTER COLUMN email TYPE text;\n'
                'UPDATE members SET email = lower(email);\n'
                'ALTER TABLE members ALTER COLUMN nick TYPE text COLLATE "POSIX";\n'
                'ALTER TABLE members ADD CONSTRAINT email_lower CHECK (email = lower(email));\n'
            ),
        },
    ),
    "identity_on_rows": (
        None,
        {
            "001.sql": (
                'CREATE TABLE legacy (code text PRIMARY KEY, label text);\n'
                "INSERT INTO legacy VALUES ('b', 'B'), ('a', 'A');\n"
            ),
            "002.sql": (
                'ALTER TABLE legacy ADD COLUMN id bigint GENERATED BY DEFAULT AS IDENTITY;\n'
                'ALTER TABLE legacy DROP CONSTRAINT legacy_pkey;\n'
                'ALTER TABLE legacy ADD PRIMARY KEY (id);\n'
                'CREATE UNIQUE INDEX legacy_code ON legacy (code);\n'
                "INSERT INTO legacy (code, label) VALUES ('c', 'C');\n"
            ),
        },
    ),
    "concurrent_drop": (
        None,
        {
            "001.sql": (
                'CREATE TABLE big (id int PRIMARY KEY, a int, b int);\n'
                'CREATE INDEX big_a ON big (a);\n'
            ),
            "002.sql": (
                '-- no-transaction\n'
                'DROP INDEX CONCURRENTLY IF EXISTS big_a;\n'
                'CREATE INDEX CONCURRENTLY big_ab ON big (a, b);\n'
                'REINDEX INDEX CONCURRENTLY big_ab;\n'
            ),
            "003.sql": (
                'ALTER INDEX big_ab RENAME TO big_a_b;\n'
            ),
        },
    ),
    "text_to_enum": (
        None,
        {
            "001.sql": (
                "CREATE TABLE tickets (id int PRIMARY KEY, status text NOT NULL DEFAULT 'open"
                "' CHECK (status IN ('open','closed')));\n"
                "INSERT INTO tickets VALUES (1, 'open'), (2, 'closed');\n"
            ),
            "002.sql": (
                "CREATE TYPE ticket_status AS ENUM ('open', 'closed', 'archived');\n"
                'ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;\n'
                'ALTER TABLE tickets ALTER COLUMN status DROP DEFAULT;\n'
                'ALTER TABLE tickets ALTER COLUMN status TYPE ticket_status USING status::tic'
                'ket_status;\n'
                "ALTER TABLE tickets ALTER COLUMN status SET DEFAULT 'open';\n"
                "UPDATE tickets SET status = 'archived' WHERE id = 2;\n"
            ),
        },
    ),
    "late_copy_fk": (
        None,
        {
            "001.sql": (
                'CREATE TABLE audit (t text);\n'
                'CREATE FUNCTION aud() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT IN'
                'TO audit VALUES (TG_TABLE_NAME); RETURN NEW; END $$;\n'
                'CREATE TABLE customers (id int PRIMARY KEY, name text);\n'
                'CREATE TRIGGER customers_aud AFTER INSERT ON customers FOR EACH ROW EXECUTE '
                'FUNCTION aud();\n'
                'CREATE TABLE invoices (id int PRIMARY KEY, customer_id int NOT NULL REFERENC'
                'ES customers ON DELETE CASCADE, amount int);\n'
                'CREATE TABLE lines (id int PRIMARY KEY, invoice_id int REFERENCES invoices, '
                'qty int);\n'
            ),
            "002.sql": (
                "INSERT INTO customers VALUES (1, 'a'), (2, 'b');\n"
                'INSERT INTO invoices VALUES (10, 1, 5), (11, 2, 6);\n'
                'INSERT INTO lines VALUES (100, 10, 1);\n'
                'UPDATE invoices SET amount = amount * 2;\n'
            ),
            "003.sql": (
                'ALTER TABLE lines ADD COLUMN note text;\n'
                "INSERT INTO lines VALUES (101, 11, 2, 'x');\n"
            ),
        },
    ),
    "change_null_backfill": (
        None,
        {
            "001.sql": (
                'CREATE TABLE posts (id serial PRIMARY KEY, slug text, title text NOT NULL);\n'
                "INSERT INTO posts (title) VALUES ('Hello World'), ('Second Post');\n"
            ),
            "002.sql": (
                "UPDATE posts SET slug = lower(replace(title, ' ', '-')) WHERE slug IS NULL;\n"
                'ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;\n'
                'ALTER TABLE posts ADD CONSTRAINT posts_slug_key UNIQUE (slug);\n'
                "INSERT INTO posts (title, slug) VALUES ('Third', 'third') ON CONFLICT (slug)"
                ' DO UPDATE SET title = EXCLUDED.title;\n'
            ),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(HISTORIES))
def test_a_realistic_history_consolidates_equal(tmp_path: Path, name: str) -> None:
    """A Rails structure dump, Ecto with Oban's tables, TypeORM's and Sequelize's generated
    SQL, Hasura's event triggers, Supabase's policies and helpers, per-tenant schemas, data
    backfills and PostgreSQL's less common objects: ``squash --verify`` replays the history
    and its consolidation and finds them EQUAL."""
    setup, files = HISTORIES[name]
    if setup is None:
        squash_verify(tmp_path, files)
        return
    src = tmp_path / "migrations"
    src.mkdir()
    for file, text in files.items():
        (src / file).write_text(text)
    (tmp_path / "setup.sql").write_text(setup)
    done = run_cli("squash", str(src), "--setup", str(tmp_path / "setup.sql"), "--out",
                   str(tmp_path / "out"), "--verify", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schemafold verify: EQUAL" in done.stdout, done.stdout
