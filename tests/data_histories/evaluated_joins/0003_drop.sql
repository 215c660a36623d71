DROP TABLE posts;
DROP TABLE authors;
INSERT INTO feed (author) VALUES ('new');
