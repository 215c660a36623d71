CREATE TABLE account (id int PRIMARY KEY, code text UNIQUE);
ALTER TABLE member ADD COLUMN code text UNIQUE;
CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_forever_more (
    an_equally_long_column_name_that_also_goes_on_and_on int UNIQUE
);
