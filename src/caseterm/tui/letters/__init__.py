"""Stock letters in the workstation: drafting, reading and checking them."""
