"""The API edge shared by every app: input fields that parse money, ids, dates, reasons and text
the same way with bilingual messages (fields), and the reference shapes every output nests
(refs). The errors they raise are in scf/errors.py."""
