"""Rules of the master record, as data with defaults: when a new person is a likely duplicate,
what can be verified, and when a warning's review is raised."""

from __future__ import annotations

# A match from the triage matcher (services/search.find_people) at or above this score stops
# the creation of a new person until the user confirms: a similar name with the same date of
# birth scores 80 and more, an identical name 100, an identical identifier over 100.
LIKELY_DUPLICATE_SCORE = 80.0

# A warning whose review date has come raises a review task due this many working days later.
WARNING_REVIEW_DUE_WORKING_DAYS = 2
WARNING_REVIEW_PRIORITY = 2

# How far back a date of death may be (a year like 1066 is a typing mistake).
EARLIEST_DEATH_YEAR = 1900
