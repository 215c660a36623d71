"""schemafold: fold a history of SQL migrations into its net schema, and consolidate it."""
