"""The team information board (`B`): the day's figures, drill-downs and 12-week trends."""
