"""The case lifecycle on the case screen (issue 12): edit, parties and links, transfer out and
accept or return, closure with its checklist, reopen, and where the paper file is."""
