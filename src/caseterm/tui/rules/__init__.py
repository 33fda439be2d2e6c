"""The rules an administrator keeps, on screen: the statutory clock rules and office closure
days (`C`), the sampling rates for checking colleagues' work (`%`), and the enforcement paths of
fines accounts (`F`)."""
