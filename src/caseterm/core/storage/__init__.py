"""Where the data lives: the database and its connections, schema upgrades, backup and
restore, shared-host set-up and its doctor, PostgreSQL copy, roles and change notifications.

Sits above the services (it records restores in the journal and seeds the catalogue) and below
the demo builder, the CLI and the TUI."""
