"""The shipped scenario files (`*.toml`) and example experiment files (`experiments/*.toml`).

A package only so that the files install with the wheel as package data: `simulation` and
`analyses` find them with `importlib.resources.files("scenarios")`, from any folder.
"""
