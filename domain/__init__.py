"""Pure domain model: no framework, no I/O, no clock. Time and actor are passed in."""
