"""``python -m goodstanding`` runs the CLI."""

from goodstanding.cli.main import main

if __name__ == "__main__":
    main()
