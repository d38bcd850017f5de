"""The actor resolution rules, one module per idea, each registered with
``@rule(name, after=...)`` (:mod:`.registry`). :mod:`detente.actors.resolve`
imports every module of this package and runs the rules in their declared order.

A rule imports only ``kb/``, ``doc/`` and :mod:`.registry`, never another rule:
what two rules share is a fact about the document and lives in ``doc/``.
"""
