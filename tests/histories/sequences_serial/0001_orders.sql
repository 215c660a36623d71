-- serial columns: the sequence is created with the column, typed after it, owned by it
CREATE TABLE orders (
    id SERIAL PRIMARY KEY,
    number INT NOT NULL,
    placed DATE
);
CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 5;
CREATE SEQUENCE ticket AS smallint MAXVALUE 9000;
CREATE TABLE line (id BIGSERIAL PRIMARY KEY, order_id INT REFERENCES orders(id), qty INT);
