"""The command line: Typer commands with Rich output; ``--format json`` for automation."""
