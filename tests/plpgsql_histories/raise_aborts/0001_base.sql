CREATE TABLE config (version int);
