"""The person screen (the master record) and its forms: edit the record, add a warning."""
