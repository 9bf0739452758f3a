"""The scenario model: a scenario file read, checked and resolved, and what is derived from it.

``scenario`` (the dataclasses), ``load`` (``load_scenario``) over ``strategies``,
``training``, ``prices``, ``token_counts`` and ``checker``; ``keys`` (the keys a
file accepts) and ``fields`` (every numeric input, declared once) with
``schema`` (the JSON Schema's constraints from it); ``paths`` (key paths that
can vary), ``derive`` (the one derivation into engine inputs), ``migration``
(plans over successors) and ``feasibility`` (whether a plan can be carried out).

Nothing is imported here, so that ``ftcost.model.fields`` stays cheap to import;
``ftcost.scenario`` re-exports the public names.
"""
