"""The Account section of a case (a fines account): balance, impositions, terms and the ledger;
taking a payment and showing its receipt."""
