"""Errors the store raises; driver exceptions never leave `store/`.

StoreError
├── StoreUnavailable   the server did not answer in time (bad URI, down, unreachable)
└── EmbeddedStoreError the embedded nx-27017 server could not be started
"""


class StoreError(Exception):
    """Base class of everything the store raises."""


class StoreUnavailable(StoreError):
    """The database did not answer; the message names the host, never the credentials."""


class EmbeddedStoreError(StoreError):
    """The embedded server failed to start or to answer `ping`."""


class StaleRecord(StoreError):
    """Another writer changed the record first; read it again and decide again."""
