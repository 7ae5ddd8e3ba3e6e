"""Use cases: read the context, call domain and store, return views for the schema."""
