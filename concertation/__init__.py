"""concertation: the faces of the model, on top of `simulation` and `analyses`.

`concertation.cli` is the `concertation` command (also `python -m concertation`), with one
module per group of commands under `concertation.commands`; `concertation.app` is the browser
app (Solara pages). Nothing here models or analyses anything, and nothing in `simulation` or
`analyses` imports from here. Importing this package is cheap: every heavy module loads in
the command that needs it.
"""
