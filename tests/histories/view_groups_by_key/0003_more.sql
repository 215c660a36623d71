CREATE TABLE shop (code text, city text, CONSTRAINT shop_key PRIMARY KEY (code));
CREATE VIEW shop_sales AS
    SELECT s.code, s.city, count(*) AS n FROM shop s GROUP BY s.code;
