"""Regenerate docs/columns.md from src/detente/exports/columns.yaml (the data dictionary)."""

from pathlib import Path

from detente.exports import to_markdown

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "docs" / "columns.md"
    out.write_text(to_markdown() + "\n", "utf-8")
    print(f"wrote {out}")
