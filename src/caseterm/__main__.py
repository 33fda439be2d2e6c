from caseterm.cli.main import main

raise SystemExit(main())
