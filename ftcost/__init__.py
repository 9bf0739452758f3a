"""ftcost: prompt engineering or fine-tuning? Costs, break-even volume and payback, with sources.

Library use (a notebook, a script)::

    import ftcost
    result = ftcost.compare("scenarios/review-stars.yaml")
    result.summary_frame()          # pandas DataFrame, one row per strategy
    result.to_dict()                # the JSON of docs/design.md

The command line (``ftcost compare ...``) is a thin layer over these calls.
"""

from __future__ import annotations

__version__ = "0.1.0"

# sweep and sensitivity are ftcost.api.sweep / ftcost.api.sensitivity (their modules own the short names).
__all__ = ["compare", "load_scenario", "simulate", "FtcostError", "__version__"]


def __getattr__(name):
    # Imported on first use so that `import ftcost` stays cheap.
    if name in ("compare", "load_scenario", "simulate"):
        from . import api

        return getattr(api, name)
    if name == "FtcostError":
        from .errors import FtcostError

        return FtcostError
    raise AttributeError(name)
