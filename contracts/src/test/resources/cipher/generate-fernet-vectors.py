#!/usr/bin/env python3
"""Known-answer Fernet tokens from Python's `cryptography` (Debian's python3-cryptography), with fixed keys, times
and IVs through Fernet._encrypt_from_parts. To regenerate:
    python3 contracts/src/test/resources/cipher/generate-fernet-vectors.py > contracts/src/test/resources/cipher/fernet-vectors.json
"""
import base64
import json

import cryptography
from cryptography.fernet import Fernet


def key(seed):
    return base64.urlsafe_b64encode(bytes((seed + 7 * i) % 256 for i in range(32))).decode()


def iv(seed):
    return bytes((seed + 13 * i) % 256 for i in range(16))


CASES = [
    ("django-field", key(1), 1764662400, iv(3), "postgres://app:s3cr3t@db/app".encode()),
    ("empty-plaintext", key(2), 1499999999, iv(4), b""),
    ("one-block-exactly", key(3), 1700000000, iv(5), b"sixteen bytes!!!"),
    ("utf8-multibyte", key(4), 1800000000, iv(6), "clé 🔑 ключ 鍵".encode()),
    ("binary-1k", key(5), 0, iv(7), bytes((i * 31 + 11) % 256 for i in range(1024))),
]

out = []
for name, k, t, i, data in CASES:
    token = Fernet(k)._encrypt_from_parts(data, t, i).decode()
    assert Fernet(k).decrypt(token) == data
    out.append({"name": name, "key": k, "timestamp": t, "ivHex": i.hex(), "plaintextHex": data.hex(),
                "token": token, "producedBy": "cryptography " + cryptography.__version__})
print(json.dumps(out, indent=2, ensure_ascii=False))
