import type { FileHandle } from 'node:fs/promises';

/** Up to `size` bytes from the start of an open file; fewer when it is shorter (it may have shrunk since fstat). */
export async function readUpTo(handle: FileHandle, size: number): Promise<Buffer> {
	const buffer = Buffer.allocUnsafe(size);
	let filled = 0;
	while (filled < size) {
		const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
		if (bytesRead === 0) {
			break;
		}
		filled += bytesRead;
	}
	return buffer.subarray(0, filled);
}
