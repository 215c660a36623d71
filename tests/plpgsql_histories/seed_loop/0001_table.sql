CREATE TABLE plans (id int PRIMARY KEY, name text NOT NULL, seats int, active boolean DEFAULT true);
