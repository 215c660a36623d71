CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
    id integer PRIMARY KEY,
    author_id integer REFERENCES authors ON DELETE CASCADE,
    title text
);
CREATE TABLE reviews (
    id integer PRIMARY KEY,
    book_id integer REFERENCES books ON DELETE SET NULL,
    stars integer
);
INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books VALUES (10, 1, 'A1'), (20, 2, 'B1'), (21, 2, 'B2');
INSERT INTO reviews VALUES (100, 10, 5), (200, 20, 3), (201, 21, 4);
