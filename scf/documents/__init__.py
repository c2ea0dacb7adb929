"""Documents a financial platform owes its users (issue 7): PDFs with an embedded CJK font,
their SHA-256 anchored on chain against the voucher, verifiable by anyone."""
