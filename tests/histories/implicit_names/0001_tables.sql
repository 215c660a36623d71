CREATE TABLE account (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    age INT CHECK (age >= 0),
    CHECK (email <> '' AND age < 200)
);
CREATE TABLE membership (
    account BIGINT REFERENCES account(id) ON DELETE CASCADE,
    team TEXT NOT NULL,
    UNIQUE (account, team)
);
