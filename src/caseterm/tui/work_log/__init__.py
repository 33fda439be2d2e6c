"""Keeping the contact log and tasks right: correcting an entry, adding a task to a case."""
