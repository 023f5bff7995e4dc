"""The result record contract: ``result.schema.json`` (a copy of the project contract)."""
