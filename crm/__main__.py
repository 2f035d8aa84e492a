"""Entry point for `python -m crm`."""

from crm.cli import run

if __name__ == "__main__":
    run()
