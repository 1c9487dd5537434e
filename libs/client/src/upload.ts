/** Chunk size of a streamed upload: progress is reported at most once per chunk. */
export const UPLOAD_CHUNK_BYTES = 64 * 1024;

/**
 * A stream of `bytes` in chunks, reporting how many bytes were handed to the connection as fetch pulls each one:
 * fetch reads a stream body only as fast as the socket takes it, so the progress follows the upload itself (give or
 * take the kernel's send buffer), not the copy into memory.
 */
export function progressStream(
  bytes: Uint8Array,
  onProgress: (sentBytes: number, totalBytes: number) => void,
  chunkBytes: number = UPLOAD_CHUNK_BYTES,
): ReadableStream<Uint8Array> {
  let offset = 0;
  const total = bytes.byteLength;
  return new ReadableStream<Uint8Array>({
    start() {
      onProgress(0, total);
    },
    pull(controller) {
      if (offset >= total) {
        controller.close();
        return;
      }
      const end = Math.min(total, offset + chunkBytes);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      onProgress(offset, total);
    },
  });
}
