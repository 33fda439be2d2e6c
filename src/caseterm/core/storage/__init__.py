"""Where the data lives: the database and its connections (database.py), opening it and the
set-up lock for creating or upgrading it (opening.py, setup_lock.py, migrate.py), backup and
restore (backup.py, backup_files.py), damage and its advice (damage.py), private files
(core/private_files.py), shared-host set-up and its doctor (shared_host.py, doctor.py,
filesystems.py), PostgreSQL copy, roles and change notifications (pg_*.py, change_watch.py).

Sits above the services (it records restores in the journal and seeds the catalogue) and below
the demo builder, the CLI and the TUI."""
