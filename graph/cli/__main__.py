"""``python -m talkgraph.cli``: the ``talkgraph`` command."""

from . import main

if __name__ == "__main__":  # not when merely imported (the doctest walk imports every module)
    main()
