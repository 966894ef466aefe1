"""Generated documentation: docs/parameters.md and the generated blocks of the other documents."""
