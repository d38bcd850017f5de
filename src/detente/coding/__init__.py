"""Event coder: CAMEO/PLOVER events from parsed sentences (public API below)."""

from .tables import CameoInfo, cameo_info

__all__ = ["CameoInfo", "cameo_info"]
