"""The contact log entry form: the screen, its single-key pickers, what it keeps as a draft and
its look (`contact_entry.tcss`)."""
