"""The money office: importing a bank statement (review, then post) and the banking against
the cash-up."""
