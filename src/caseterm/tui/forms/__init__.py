"""What every form shares: the draft keeper (what is typed reaches the database within half a
second, and is offered back after a crash or an SSH drop), the restore and leave questions, the
"someone is editing" notice, and saving everything when the terminal goes away."""
