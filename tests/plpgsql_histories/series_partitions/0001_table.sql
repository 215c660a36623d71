CREATE TABLE readings (id bigint NOT NULL, taken date NOT NULL) PARTITION BY RANGE (taken);
CREATE TABLE buckets (n int PRIMARY KEY, label text);
