"""Regenerate docs/columns.md (from src/detente/exports/columns.yaml) and docs/gdelt.md (from exports/gdelt.py)."""

from pathlib import Path

from detente.exports import gdelt, to_markdown

if __name__ == "__main__":
    docs = Path(__file__).resolve().parents[1] / "docs"
    for name, text in (("columns.md", to_markdown()), ("gdelt.md", gdelt.to_markdown())):
        (docs / name).write_text(text + "\n", "utf-8")
        print(f"wrote {docs / name}")
