// Known-answer vectors for the lockbox and rotor-v1 codecs, computed with Node's built-in crypto only
// (an implementation independent of the Java code under test). Nonces are fixed, so the output is deterministic.
//
// Regenerate (from the repository root):
//   node contracts/src/test/resources/cipher/generate-vectors.mjs
// It rewrites lockbox-vectors.json and rotor-v1-vectors.json next to this script. A regenerated file must be identical
// to the committed one; a difference means this script changed.
import { createCipheriv, hkdfSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Ruby Lockbox / ToolJet: IKM = hex master key, salt = table, info = 32 x 0xB4 || "<column>_ciphertext", SHA-384, L = 32.
function lockboxKey(masterKeyHex, table, column) {
  const info = Buffer.concat([Buffer.alloc(32, 0xb4), Buffer.from(`${column}_ciphertext`, 'utf8')]);
  return Buffer.from(hkdfSync('sha384', Buffer.from(masterKeyHex, 'hex'), Buffer.from(table, 'utf8'), info, 32));
}

function rotorV1Key(masterKeyHex, table, column) {
  return Buffer.from(hkdfSync('sha384', Buffer.from(masterKeyHex, 'hex'), Buffer.from(`rotor-v1|${table}`, 'utf8'),
      Buffer.from(`column|${column}`, 'utf8'), 32));
}

function gcm(key, nonce, aad, plaintext) {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (aad) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([ciphertext, cipher.getAuthTag()]);
}

const MK1 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const MK2 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MK3 = 'FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210'; // upper case on purpose
const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(4) + 'A ToolJet-sized secret of about 200 bytes.';
const nonce = (i) => Buffer.from(Array.from({ length: 12 }, (_, j) => (i * 31 + j * 7 + 1) & 0xff));

const lockboxCases = [
  ['tooljet-credentials', MK1, 'credentials', 'value', '{"value":"s3cr3t-password"}'],
  ['empty-plaintext', MK1, 'credentials', 'value', ''],
  ['unicode-plaintext', MK2, 'credentials', 'value', 'pässwörd — 密码 🔑'],
  ['about-200-bytes', MK2, 'credentials', 'value', LONG],
  ['upper-case-master-key', MK3, 'credentials', 'value', 'postgres://app:hunter2@db:5432/app'],
  ['other-labels', MK1, 'data_source_options', 'options', '{"password":{"value":"x","encrypted":true}}'],
  ['unicode-labels', MK2, 'tâble', 'colonne_é', 'labels are UTF-8'],
];

const lockbox = lockboxCases.map(([name, masterKeyHex, table, column, plaintext], i) => {
  const key = lockboxKey(masterKeyHex, table, column);
  const n = nonce(i);
  const stored = Buffer.concat([n, gcm(key, n, null, Buffer.from(plaintext, 'utf8'))]).toString('base64');
  return { name, masterKeyHex, table, column, plaintext, nonceHex: n.toString('hex'),
    columnKeyHex: key.toString('hex'), stored };
});

const rotorV1Cases = [
  ['version-1', MK1, 1, 'credentials', 'value', '42', '{"value":"s3cr3t-password"}'],
  ['empty-plaintext', MK1, 7, 'credentials', 'value', 'row-1', ''],
  ['uuid-row-large-version', MK2, 0x01020304, 'secrets', 'token', '6f1c2a9e-3b7d-4c1e-9a55-0d2b8e4f7a10', LONG],
  ['unicode', MK3, 0, 'tâble', 'colonne_é', 'ключ', 'pässwörd — 密码 🔑'],
];

const rotorV1 = rotorV1Cases.map(([name, masterKeyHex, keyVersion, table, column, rowId, plaintext], i) => {
  const key = rotorV1Key(masterKeyHex, table, column);
  const header = Buffer.alloc(5);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(keyVersion, 1);
  const n = nonce(100 + i);
  const aad = Buffer.concat([header, Buffer.from(rowId, 'utf8')]);
  const body = Buffer.concat([header, n, gcm(key, n, aad, Buffer.from(plaintext, 'utf8'))]);
  return { name, masterKeyHex, keyVersion, table, column, rowId, plaintext, nonceHex: n.toString('hex'),
    columnKeyHex: key.toString('hex'), stored: 'rv1:' + body.toString('base64url') };
});

writeFileSync(join(here, 'lockbox-vectors.json'), JSON.stringify(lockbox, null, 2) + '\n');
writeFileSync(join(here, 'rotor-v1-vectors.json'), JSON.stringify(rotorV1, null, 2) + '\n');
console.log(`wrote ${lockbox.length} lockbox and ${rotorV1.length} rotor-v1 vectors to ${here}`);
