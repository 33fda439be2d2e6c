"""The incoming item form (post opened, a phone message, a referral, a walk-in): the screen,
what it holds and keeps as a draft, and its look (`incoming.tcss`)."""
