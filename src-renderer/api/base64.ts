// Bytes as base64 for a JSON body (a packet file sent to POST /api/v1/paquets).
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode's argument list small on large files.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
