#!/bin/bash
# A copy of a demo database with the extra-large demo's proportions where the searches and a
# team's diary feel them, without building xl (session 11, scale16; results.md):
#   every name nine more times (as aliases of the same people: ten times the names per sound
#   key, per trigram, per given-name prefix), every member of staff in the bench user's team
#   (a team's day of 336-699 appointments on the large demo), every appointment at the first
#   office. Then: benchmarks/run.py --db sqlite:///COPY --only search_,desk_keystroke,diary_team_day
# Usage: benchmarks/xl_proportions.sh SOURCE.db COPY.db   (SOURCE is only read)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SOURCE.db COPY.db" >&2; exit 2; }
sqlite3 "$1" ".backup '$2'"
sqlite3 "$2" <<'SQL'
PRAGMA journal_mode=WAL;
UPDATE staff SET team_id = (SELECT team_id FROM staff WHERE login = 'bench') WHERE team_id IS NOT NULL;
UPDATE appointment SET office_id = (SELECT min(id) FROM office) WHERE office_id IS NOT NULL;
INSERT INTO person_name (person_id, kind, given_name, family_name, folded, sound)
  SELECT person_id, 'alias', given_name, family_name, folded, sound FROM person_name,
  (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9) SELECT i FROM n);
PRAGMA wal_checkpoint(TRUNCATE);
SQL
