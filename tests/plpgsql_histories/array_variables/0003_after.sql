ALTER TABLE environment RENAME COLUMN shortcode TO short_code;
