from caseterm.cli.resident.client import entry

raise SystemExit(entry())
