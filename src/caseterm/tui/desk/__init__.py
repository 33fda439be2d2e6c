"""Reception check-in mode: a locked-down desk app that reaches nothing but the desk."""
