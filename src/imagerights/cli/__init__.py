"""Command-line interface: one module per command group; the CLI only wires."""
