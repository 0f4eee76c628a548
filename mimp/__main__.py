"""`python -m mimp` is the same as the `mimp` command."""

from mimp.adapters.cli import main

raise SystemExit(main())
