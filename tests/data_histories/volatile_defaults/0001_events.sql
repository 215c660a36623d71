CREATE TABLE events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    day date DEFAULT CURRENT_DATE
);
INSERT INTO events (kind) VALUES ('signup'), ('login');
