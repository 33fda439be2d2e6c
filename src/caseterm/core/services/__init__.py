"""Business actions. Each takes an explicit session and the acting member of staff, does one
thing, writes its audit event in the same transaction and returns plain data."""
