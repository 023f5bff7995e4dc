"""medclaim's built-in data: the seed article, the domain dictionary, lexicons and rule packs.

Installed as ``pipeline.seeds`` so that :mod:`importlib.resources` finds it in a wheel too.
"""
