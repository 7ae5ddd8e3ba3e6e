"""Errors the store raises; driver exceptions never leave `store/`.

StoreError
├── StoreUnavailable   the server did not answer in time (bad URI, down, unreachable)
├── EmbeddedStoreError the embedded nx-27017 server could not be started
├── StaleRecord        another writer changed the record first
├── ChangedMeanwhile   another writer changed the application, objection or entry first
├── AlreadyOpen        the record already has an open repair application or objection
└── PublicationRefused a catalogue or programmes version cannot be published (taken number,
                       past day, an item in use dropped)
"""


class StoreError(Exception):
    """Base class of everything the store raises."""


class StoreUnavailable(StoreError):
    """The database did not answer; the message names the host, never the credentials."""


class EmbeddedStoreError(StoreError):
    """The embedded server failed to start or to answer `ping`."""


class StaleRecord(StoreError):
    """Another writer changed the record first; read it again and decide again."""


class ChangedMeanwhile(StoreError):
    """Another writer changed the application, objection, commitment or blacklist entry first."""


class AlreadyOpen(StoreError):
    """The record already has an open repair application or objection (one at a time)."""


class PublicationRefused(StoreError):
    """A version of rules (catalogue, programmes) that cannot be published as it is; the
    message says why."""

    def __init__(self, message: str, *, taken: bool = False) -> None:
        super().__init__(message)
        self.taken = taken
