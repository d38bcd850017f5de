"""R reads detente's CSV, TSV and SQLite exports back with codes as character (skipped without Rscript).

CI installs R from Debian (.ci/run: r-base-core, r-cran-dbi, r-cran-rsqlite, r-cran-jsonlite).
The test also pins down the trap the sidecar schema exists for: plain ``read.csv``
guesses types and turns CAMEO ``010`` into the integer 10.
"""

import json
import shutil
import subprocess

import pytest

from detente.exports import export
from test_exports import TEXT_A, TEXT_B, store  # noqa: F401  (the module's store fixture)

R_SCRIPT = r'''
args <- commandArgs(trailingOnly = TRUE)
csv <- args[1]; tsv <- args[2]; db <- args[3]
naive <- read.csv(csv)
s <- jsonlite::fromJSON(paste0(csv, ".schema.json"))
cc <- c(string = "character", integer = "integer", number = "numeric", boolean = "logical")[s$fields$type]
names(cc) <- s$fields$name
typed <- read.csv(csv, colClasses = cc, na.strings = "", encoding = "UTF-8")
typed_tsv <- read.delim(tsv, colClasses = cc, na.strings = "", encoding = "UTF-8")
con <- DBI::dbConnect(RSQLite::SQLite(), db)
m <- DBI::dbGetQuery(con, "SELECT cameo, cameo_root, quad_class, sentence FROM mentions")
DBI::dbDisconnect(con)
out <- list(naive_class = class(naive$cameo), naive = as.character(naive$cameo),
            cameo = typed$cameo, tsv_cameo = typed_tsv$cameo, article_id = typed$article_id,
            sentence = typed$sentence, tsv_sentence = typed_tsv$sentence, start = typed$start, end = typed$end,
            start_class = class(typed$start), hedged_class = class(typed$hedged),
            sqlite_class = class(m$cameo), sqlite_cameo = m$cameo, sqlite_root = m$cameo_root,
            sqlite_quad_class = class(m$quad_class))
cat(jsonlite::toJSON(out, auto_unbox = FALSE))
'''


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed (CI installs it with apt-get)")
def test_r_reads_codes_as_character(store, tmp_path):  # noqa: F811
    csv = export(store, "mentions", "csv", tmp_path / "m.csv").path
    tsv = export(store, "mentions", "tsv", tmp_path / "m.tsv").path
    db = export(store, "all", "sqlite", tmp_path / "d.sqlite").path
    script = tmp_path / "read.R"
    script.write_text(R_SCRIPT, "utf-8")
    r = subprocess.run(["Rscript", str(script), csv, tsv, db], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    codes = {"010", "0312", "042", "071", "0256"}
    # the trap: without colClasses, R guesses integers and the leading zeros are gone
    assert out["naive_class"] == ["integer"] and "10" in out["naive"] and "010" not in out["naive"]
    # with the colClasses the sidecar schema gives, codes stay character, numbers are numbers
    assert set(out["cameo"]) == set(out["tsv_cameo"]) == codes
    assert out["start_class"] == ["integer"] and out["hedged_class"] == ["logical"]
    texts = {"a": TEXT_A, "b": TEXT_B}
    for aid, sent, tsv_sent, s, e in zip(out["article_id"], out["sentence"], out["tsv_sentence"], out["start"],
                                         out["end"]):
        assert texts[aid][s:e] == sent == tsv_sent  # tabs, newlines and quotes survive
    # RSQLite maps the declared TEXT columns to character
    assert out["sqlite_class"] == ["character"] and set(out["sqlite_cameo"]) == codes
    assert set(out["sqlite_root"]) == {"01", "02", "03", "04", "07"} and out["sqlite_quad_class"] == ["integer"]
