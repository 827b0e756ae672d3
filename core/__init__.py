"""The project's shared foundation, below every app: hooks, the task queue, roles, form pages, sweeps, links.

It imports no app of the project (an import contract in pyproject.toml keeps it so).
"""
