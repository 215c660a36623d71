CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE task (id INT PRIMARY KEY, state status NOT NULL DEFAULT 'new');
