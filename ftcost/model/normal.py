"""The standard normal distribution on arrays: its inverse CDF (:func:`norm_ppf`) and its CDF (:func:`norm_cdf`).

Used by :mod:`ftcost.model.distributions` to sample the normal and lognormal
distributions of a scenario by the inverse CDF.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def norm_ppf(p: ArrayLike) -> np.ndarray:
    """Inverse of the standard normal CDF, elementwise (Wichura's AS241, ~1e-16 relative).

    The same rational approximations as Python's ``statistics.NormalDist.inv_cdf``,
    on arrays. ``p`` must be in (0, 1).

    >>> norm_ppf([0.5, 0.9, 0.025]).round(6).tolist()
    [0.0, 1.281552, -1.959964]
    """
    p = np.asarray(p, dtype=float)
    q = p - 0.5
    out = np.empty_like(q)
    central = np.abs(q) <= 0.425
    if central.any():
        qc = q[central]
        r = 0.180625 - qc * qc
        num = (
            (
                (
                    (
                        (((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                        + 1.3731693765509461125e4
                    )
                    * r
                    + 1.9715909503065514427e3
                )
                * r
                + 1.3314166789178437745e2
            )
            * r
            + 3.3871328727963666080e0
        ) * qc
        den = (
            (
                (
                    (((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                    + 5.3941960214247511077e3
                )
                * r
                + 6.8718700749205790830e2
            )
            * r
            + 4.2313330701600911252e1
        ) * r + 1.0
        out[central] = num / den
    tail = ~central
    if tail.any():
        qt = q[tail]
        r = np.where(qt <= 0.0, p[tail], 1.0 - p[tail])
        r = np.sqrt(-np.log(r))
        near = r <= 5.0
        x = np.empty_like(r)
        if near.any():
            rn = r[near] - 1.6
            num = (
                (
                    (
                        (((7.74545014278341407640e-4 * rn + 2.27238449892691845833e-2) * rn + 2.41780725177450611770e-1) * rn + 1.27045825245236838258e0) * rn
                        + 3.64784832476320460504e0
                    )
                    * rn
                    + 5.76949722146069140550e0
                )
                * rn
                + 4.63033784615654529590e0
            ) * rn + 1.42343711074968357734e0
            den = (
                (
                    (
                        (((1.05075007164441684324e-9 * rn + 5.47593808499534494600e-4) * rn + 1.51986665636164571966e-2) * rn + 1.48103976427480074590e-1) * rn
                        + 6.89767334985100004550e-1
                    )
                    * rn
                    + 1.67638483018380384940e0
                )
                * rn
                + 2.05319162663775882187e0
            ) * rn + 1.0
            x[near] = num / den
        far = ~near
        if far.any():
            rf = r[far] - 5.0
            num = (
                (
                    (
                        (((2.01033439929228813265e-7 * rf + 2.71155556874348757815e-5) * rf + 1.24266094738807843860e-3) * rf + 2.65321895265761230930e-2) * rf
                        + 2.96560571828504891230e-1
                    )
                    * rf
                    + 1.78482653991729133580e0
                )
                * rf
                + 5.46378491116411436990e0
            ) * rf + 6.65790464350110377720e0
            den = (
                (
                    (
                        (((2.04426310338993978564e-15 * rf + 1.42151175831644588870e-7) * rf + 1.84631831751005468180e-5) * rf + 7.86869131145613259100e-4) * rf
                        + 1.48753612908506148525e-2
                    )
                    * rf
                    + 1.36929880922735805310e-1
                )
                * rf
                + 5.99832206555887937690e-1
            ) * rf + 1.0
            x[far] = num / den
        out[tail] = np.where(qt < 0.0, -x, x)
    return out


def norm_cdf(x: float) -> float:
    """Standard normal CDF of one number (inf allowed)."""
    if math.isinf(x):
        return 0.0 if x < 0 else 1.0
    return 0.5 * math.erfc(-x / math.sqrt(2.0))
