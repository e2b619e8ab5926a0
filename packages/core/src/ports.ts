/**
 * Ports: the only ways the pure core reaches the outside world.
 * Adapters for Node live in `adapters/node.ts`; tests pass their own.
 */

/** SHA-256 of a UTF-8 string, as lowercase hex. */
export type Sha256 = (data: string) => string;

/** Signs bytes with an Ed25519 private key it holds; returns a base64url signature. */
export interface Signer {
  readonly keyId: string;
  sign(data: string): string;
}

/** Verifies an Ed25519 signature made by the key named `keyId`. Unknown keys verify false. */
export interface SignatureVerifier {
  verify(keyId: string, data: string, signature: string): boolean;
}
