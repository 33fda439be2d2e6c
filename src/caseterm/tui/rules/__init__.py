"""The rules an administrator keeps, on screen: the statutory clock rules and office closure
days (`C`), and the sampling rates for checking colleagues' work (`%`)."""
