-- a joined copy ordered by keys no two rows share: the serial ids follow ORDER BY, NULLS LAST
CREATE TABLE feed (id serial PRIMARY KEY, author text NOT NULL, title text, score integer, meta text, posted timestamptz DEFAULT now());
INSERT INTO feed (author, title, score, meta, posted)
SELECT a.name, p.title, p.score, p.meta, p.created_at FROM posts p JOIN authors a ON a.id = p.author_id
ORDER BY p.score, p.id;
-- grouping with a LEFT JOIN, and aggregates over it
CREATE TABLE author_stats (author_id integer PRIMARY KEY, posts bigint, total integer, best integer);
INSERT INTO author_stats
SELECT a.id, count(p.id), sum(p.score), max(p.score)
FROM authors a LEFT JOIN posts p ON p.author_id = a.id
GROUP BY a.id;
CREATE TABLE active_names (name text, label text);
INSERT INTO active_names
SELECT DISTINCT a.name, a.name || ':' || p.author_id FROM authors a, posts p
WHERE p.author_id = a.id AND a.active IS NOT NULL;
-- an aggregate without GROUP BY: one row
CREATE TABLE totals (n bigint, some_unscored boolean);
INSERT INTO totals SELECT count(*), count(*) > count(score) FROM posts;
UPDATE feed SET score = s.best
FROM author_stats s, authors a
WHERE a.id = s.author_id AND a.name = feed.author AND feed.score IS NULL;
DELETE FROM feed USING authors a WHERE a.name = feed.author AND a.active = false;
