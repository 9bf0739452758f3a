"""What ftcost computes from a scenario beyond the comparison: the engine run over many inputs at once.

- ``distributions``: the distributions a scenario may write instead of a
  number (read by the scenario checker), with ``normal`` (the standard normal
  on arrays) under it;
- ``simulation``: ``ftcost simulate``, Monte Carlo over those distributions;
- ``sweep``: ``ftcost sweep``, a grid of input values;
- ``sensitivity``: ``ftcost sensitivity``, each input moved down and up;
- ``whatif``: the what-if page's grid of the engine's numbers.

Each runs the engine on variant axes through :func:`ftcost.derive.engine_inputs`;
nothing here prints or writes files (the renderers do).
"""
