"""``python -m cleanews`` runs the command-line tool."""

from cleanews.cli import app

app(prog_name="cleanews")
