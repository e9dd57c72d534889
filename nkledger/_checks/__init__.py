"""The engine behind :mod:`nkledger.checks`: what the checks know, the words they use, the rules.

Private: import :mod:`nkledger.checks` instead.
"""
