"""`python -m hikeshi` runs the command line."""

from hikeshi.cli import main

main()
