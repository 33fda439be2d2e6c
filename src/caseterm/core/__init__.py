"""The headless heart of caseterm: models, database, services and rules. Never imports Textual."""
