"""person_name (sound, family_name, folded): name search reads a page, not every sound-alike

The search box's sound-alike lookups read names by the family name's sound key. With an index
on `sound` alone, each lookup read every name with the key (2,800 on the large demo, ten times
that on the extra-large one) to keep those whose given name starts with a letter typed, and the
"one letter off" lookup read them all again for their distinct family names. Ordered by
(sound, family_name, folded), the family names under a key are found by skipping from one to
the next (a handful of index probes whatever the number of people), and the names with a family
name and a given name starting with the letters typed are a range of the index.

It replaces `ix_person_name_sound`, whose column it starts with.

Revision ID: 0032
Revises: 0030
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_person_name_sound_family", "person_name", ["sound", "family_name", "folded"]
    )
    op.drop_index("ix_person_name_sound", table_name="person_name")


def downgrade() -> None:
    op.create_index("ix_person_name_sound", "person_name", ["sound"])
    op.drop_index("ix_person_name_sound_family", table_name="person_name")
