-- a CHECK the kept INSERT now runs under (reported), and which its rows satisfy
ALTER TABLE book_stats ADD CONSTRAINT book_stats_reviews_check CHECK (reviews >= 0);
