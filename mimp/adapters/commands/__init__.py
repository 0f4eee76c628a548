"""One module a subcommand; each has `register(subparsers)` that sets `func`."""
