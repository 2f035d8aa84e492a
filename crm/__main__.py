"""Entry point for `python -m crm`."""

from crm.cli import main

if __name__ == "__main__":
    main()
