"""Money in suspense dealt with from its task in the Suspense queue."""
