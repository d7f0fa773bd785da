"""The plots of neurodyn: python3 -m neurodyn.plot NAME [arguments] (see __main__.py)."""
