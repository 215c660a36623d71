-- ON CONFLICT needs the unique index, which a consolidation creates after the data: these are
-- evaluated, never kept verbatim
INSERT INTO settings (key, value) VALUES ('theme', 'dark'), ('tz', 'UTC') ON CONFLICT (key) DO NOTHING;
INSERT INTO settings (key, value) VALUES ('lang', 'fr')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = settings.updated + 1;
