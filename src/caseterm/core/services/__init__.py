"""Business actions. Each takes an explicit session and the acting member of staff, does one
thing, writes its audit event in the same transaction and returns plain data.

The calling rule, the same in every module:

- A service function starts with `(session, actor)`; a read that needs no actor starts with
  `(session)`.
- Every parameter after those is keyword-only (`def f(session, actor, *, case_id, reason)`),
  so a call names what it passes: `close_case(s, actor, case_id=7, reason="done")`.
- One exception: when the only parameter left is the key of the thing acted on (an id, a login, a
  reference, a record to write), it may stay positional: `take_task(s, actor, task_id)`,
  `find_case(s, reference)`.
- `insert_task` (no permission check, for tasks the rules raise) and `create_task` share one
  signature.
- `common` holds helpers for the services themselves (`get`, `check_version`, `touch`); the TUI
  and the CLI never call them.
"""
