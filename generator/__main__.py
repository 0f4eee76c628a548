"""`python -m generator` is the same as the `mimp` command."""

from generator.adapters.cli import main

raise SystemExit(main())
