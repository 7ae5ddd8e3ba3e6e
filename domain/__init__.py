"""Pure rules of the public credit information system: no I/O, dates passed in."""
