-- deleting Bob deletes his books, which sets their reviews' book_id to NULL
DELETE FROM authors WHERE name = 'Bob';
CREATE TABLE book_stats (book_id integer, reviews integer);
-- an aggregate with FILTER the fold does not evaluate: kept verbatim (what it names never changes)
INSERT INTO book_stats
SELECT b.id, count(r.id) FILTER (WHERE r.stars > 3) FROM books b LEFT JOIN reviews r ON r.book_id = b.id GROUP BY b.id;
