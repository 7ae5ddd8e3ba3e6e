"""The process: settings, the Starlette app, the CLI, logging, metrics and health."""
