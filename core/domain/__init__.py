"""Pure rules of Second Chance Leads: no I/O, no ORM, no UI."""
