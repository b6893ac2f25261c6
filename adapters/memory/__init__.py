"""In-memory adapters: real implementations of the ports, kept in process memory, so rules,
use cases and HTTP routes are tested in milliseconds. The contract suites in tests/contracts
run each against its PostgreSQL twin."""
