"""How a name is typed on the command line, in the commands careops suggests to people."""


def arg(name: str) -> str:
    """A name as one shell argument: quoted when it holds a space (`careops dept edit "Internal Medicine"`)."""
    return f'"{name}"' if " " in name else name
