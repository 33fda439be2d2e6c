"""Offices, teams and rooms: the organisation a system administrator sets up (`N`)."""
