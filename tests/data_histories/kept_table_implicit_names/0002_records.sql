-- a table that references the barrier is kept verbatim; so is what it creates implicitly
CREATE TABLE IF NOT EXISTS "finding" (
    "id" serial NOT NULL PRIMARY KEY,
    "registry_uuid" text NOT NULL REFERENCES registry (uuid) ON DELETE CASCADE,
    "code" text NOT NULL,
    UNIQUE ("registry_uuid", "code")
);
INSERT INTO finding (registry_uuid, code) VALUES ('r1', 'CVE-1'), ('r1', 'CVE-2');
