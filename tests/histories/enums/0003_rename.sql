ALTER TYPE status RENAME VALUE 'done' TO 'finished';
CREATE TYPE unused AS ENUM ('x');
DROP TYPE unused;
