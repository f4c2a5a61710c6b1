"""Command line and result handling for the concertation model.

Nothing here models anything: `runs` calls `simulation` and writes what it returns,
`figures` draws it, `cli` wires both to the `concertation` command.
"""
