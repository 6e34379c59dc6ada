# Run by FernetPythonInteropTest as `python3 -c <this file>`: one JSON request on stdin, one JSON answer on stdout.
#   {"op": "encrypt", "keys": [k], "plaintextsHex": [...]}  -> {"tokens": [...]}          Fernet(k).encrypt
#   {"op": "decrypt", "keys": [k, ...], "tokens": [...]}     -> {"plaintextsHex": [...]}   MultiFernet(keys).decrypt
import json
import sys

from cryptography.fernet import Fernet, MultiFernet

request = json.load(sys.stdin)
fernets = [Fernet(k) for k in request["keys"]]
if request["op"] == "encrypt":
    answer = {"tokens": [fernets[0].encrypt(bytes.fromhex(p)).decode() for p in request["plaintextsHex"]]}
else:
    multi = MultiFernet(fernets)
    answer = {"plaintextsHex": [multi.decrypt(t.encode()).hex() for t in request["tokens"]]}
json.dump(answer, sys.stdout)
