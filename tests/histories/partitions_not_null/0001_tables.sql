-- NOT NULL constraints through partitions and inheritance. PostgreSQL 18 names each one
-- (<table>_<column>_not_null when it is made) and keeps the name; earlier majors have no names.
-- A partition made PARTITION OF takes its parent's names; a table attached keeps its own.
CREATE TABLE reading (
    station int NOT NULL,
    taken date NOT NULL,
    celsius numeric,
    note text
) PARTITION BY RANGE (taken);
CREATE TABLE reading_2024 PARTITION OF reading FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE reading_old (
    station int NOT NULL,
    taken date NOT NULL,
    celsius numeric NOT NULL,
    note text
);
ALTER TABLE reading ATTACH PARTITION reading_old DEFAULT;
CREATE TABLE reading_2023 (station int NOT NULL, taken date NOT NULL, celsius numeric, note text);
ALTER TABLE reading ATTACH PARTITION reading_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
-- a table partitioned with no NOT NULL at all, then given a primary key
CREATE TABLE tally (code int, amount int) PARTITION BY LIST (code);
CREATE TABLE tally_one PARTITION OF tally FOR VALUES IN (1);
CREATE TABLE tally_two (code int, amount int);
ALTER TABLE tally ATTACH PARTITION tally_two FOR VALUES IN (2);
-- inheritance: a child takes its parent's names
CREATE TABLE device (serial_no text NOT NULL, label text);
CREATE TABLE sensor (unit text) INHERITS (device);
CREATE TABLE gauge (dial int) INHERITS (device);
