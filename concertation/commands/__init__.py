"""The commands of `concertation`, one module per group, each with `add_commands(commands)`.

Each module imports only the standard library at load time, so building the parser (and so
`--help` and `--version`) stays fast; a command's handler imports the analyses it runs.
"""
