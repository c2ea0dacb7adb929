"""Trades, invoices, vouchers, splits, transfers and lineage."""
