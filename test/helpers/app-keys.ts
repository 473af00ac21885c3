/** A GitHub App's RSA key pair (PEM), as the fake GitHub verifies its JWTs: one per test file. */
import { generateKeyPairSync } from "node:crypto";

export function appKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
}
