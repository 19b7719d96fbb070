"""``python -m annexa`` runs the command line."""

from annexa.cli import main

raise SystemExit(main())
