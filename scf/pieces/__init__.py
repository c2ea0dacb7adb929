"""What every app that moves, reserves or finances a piece shares: one lock per piece
(locks.py), one registry of claims on pieces (claims.py) and the hook through which a
confirmed movement records its debtor notice (notices.py)."""
