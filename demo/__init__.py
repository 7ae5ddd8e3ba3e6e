"""Demo data for development: the subjects, records and tokens `creditgraph seed` writes."""
