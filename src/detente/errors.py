"""Numbered, actionable errors.

Every foreseeable problem has a code. Input problems (E1xx) skip one file and
are reported in the run summary; store problems (E2xx) and setup problems
(E3xx) stop the command with a message that says how to fix it.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # input: one file or record is skipped, the run goes on
    "E101": "empty file",
    "E102": "binary file",
    "E103": "text encoding could not be detected",
    "E104": "file too large",
    "E105": "malformed record",
    "E106": "not English",
    "E107": "no text after cleaning",
    "E108": "unsupported file type",
    "E109": "file could not be read",
    "E110": "HTML with no extractable main text",
    "E111": "no sentences",
    "E112": "text too long to analyse (over the --max-chars limit)",
    "E113": "not a regular file (a FIFO, device, dangling or looping link, or a link leaving the input folder)",
    "E114": "sidecar metadata unusable: its files are stored without it",
    # web inputs (detente.ingest.web): one URL is skipped, the run goes on
    "E130": "URL could not be fetched (network error or timeout, after retries)",
    "E131": "the server answered with an HTTP error",
    "E132": "robots.txt of the site disallows fetching this URL",
    "E133": "URL is neither an HTML article nor an RSS/Atom feed",
    "E134": "not an http(s) URL",
    "E198": "the worker process analysing this article died",
    "E199": "internal error while analysing one article",
    # store
    "E201": "store written by a newer schema",
    "E202": "store is locked by another writer (an analyze or compact run)",
    "E203": "store path is not a detente store",
    "E204": "store is empty",
    "E205": "disk full (or over quota) while writing the store",
    "E206": "store folder not writable",
    "E207": "object store unreachable, bucket missing or access denied (s3://, gs://, file:// stores)",
    "E208": "bad store URI",
    "E209": "another writer committed to the object store first (this writer's lease had expired)",
    # setup
    "E301": "spaCy model not installed",
    "E302": "input path does not exist",
    "E303": "bad option value",
    "E304": "bad user data file",
    "E305": "optional extra not installed (an engine, plotting, the dashboard)",
    "E306": "the distributed engine lost work",
    "E307": "worker processes cannot start",
    # exports and pictures
    "E401": "unknown export table",
    "E402": "unknown export format, or a format for another table",
    "E403": "output file exists (pass --force to replace it)",
    "E404": "output path not writable",
}


# warnings: the record is kept (and coded), one value of it is dropped
WARNINGS: dict[str, str] = {
    "W101": "date not understood (relative dates such as 'yesterday' need an anchor): dropped",
}


class DetenteError(Exception):
    """An error with a code and a hint; the CLI prints it without a traceback."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(f"{code}: {message}" + (f" ({hint})" if hint else ""))

    def __reduce__(self):  # raised in a worker process, re-raised in the parent
        return (DetenteError, (self.code, self.message, self.hint))


class InputSkipped(Exception):
    """Raised by readers for one bad file/record; the run records it and goes on."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        base = CODES.get(code, "skipped")
        super().__init__(f"{code}: {base}" + (f": {detail}" if detail else ""))

    @property
    def reason(self) -> str:
        base = CODES.get(self.code, "skipped")
        return base + (f": {self.detail}" if self.detail else "")
