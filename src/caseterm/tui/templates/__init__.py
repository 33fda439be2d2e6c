"""The letter template library screens (W in the workstation)."""
