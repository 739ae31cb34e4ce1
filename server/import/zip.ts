/**
 * Reading a .zip (shapefile bundles, KMZ) safely with yauzl: every entry's path and declared size are
 * checked before anything is inflated, and inflation stops at the declared size (yauzl verifies the
 * actual size against it), so a zip bomb or a path outside the folder is refused without filling memory.
 */
import yauzl from 'yauzl';
import { msg } from '../../domain/parcelFields.ts';
import { importError } from './errors.ts';

export const ZIP_LIMITS = {
  /** Total of all entries once inflated. */
  maxTotalBytes: 500 * 1024 * 1024,
  /** Inflated ÷ compressed, above which an entry is a bomb rather than data (text compresses ~10×). */
  maxRatio: 200,
  maxEntries: 1000,
};

export interface ZipEntryData {
  /** The path inside the zip, '/'-separated. */
  path: string;
  data: Buffer;
}

/** File names in zips made on Chinese Windows are often GBK without the UTF-8 flag. */
function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  const asUtf8 = new TextDecoder('utf-8', { fatal: false }).decode(raw);
  if (!asUtf8.includes('\uFFFD')) return asUtf8;
  return new TextDecoder('gbk').decode(raw);
}

export async function readZip(fileName: string, buffer: Buffer, wanted: (path: string) => boolean = () => true): Promise<ZipEntryData[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) => {
      if (err || !z) reject(importError(fileName, null, msg(`The file is not a readable zip archive (${err?.message ?? 'unknown error'}).`, `文件不是可读取的 zip 压缩包（${err?.message ?? '未知错误'}）。`)));
      else resolve(z);
    });
  });
  if (zip.entryCount > ZIP_LIMITS.maxEntries) {
    zip.close();
    throw importError(fileName, null, msg(`The zip holds ${zip.entryCount} entries; at most ${ZIP_LIMITS.maxEntries} are read.`, `压缩包内有 ${zip.entryCount} 个文件，最多读取 ${ZIP_LIMITS.maxEntries} 个。`));
  }
  // First pass: the central directory only (names and declared sizes), nothing inflated.
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(importError(fileName, null, msg(`The zip archive is damaged (${err.message}).`, `zip 压缩包已损坏（${err.message}）。`))));
    zip.readEntry();
  });
  let total = 0;
  const chosen: { entry: yauzl.Entry; path: string }[] = [];
  for (const entry of entries) {
    const name = decodeName(entry.fileName as unknown as Buffer, (entry.generalPurposeBitFlag & 0x800) !== 0).replace(/\\/g, '/');
    const parts = name.split('/');
    if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
      zip.close();
      throw importError(fileName, null, msg(`The zip entry "${name}" points outside the archive's folder; such files are refused.`, `压缩包中的“${name}”指向压缩包目录之外，拒绝处理。`));
    }
    if (name.endsWith('/')) continue;
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (total > ZIP_LIMITS.maxTotalBytes || (entry.uncompressedSize > 1024 * 1024 && ratio > ZIP_LIMITS.maxRatio)) {
      zip.close();
      throw importError(
        fileName,
        null,
        msg(
          `The zip would inflate to ${(total / 1024 / 1024).toFixed(0)} MB ("${name}" compressed ${ratio.toFixed(0)}:1); the limit is ${ZIP_LIMITS.maxTotalBytes / 1024 / 1024} MB and ${ZIP_LIMITS.maxRatio}:1. This looks like a zip bomb and is refused.`,
          `压缩包解压后将达 ${(total / 1024 / 1024).toFixed(0)} MB（“${name}”压缩比 ${ratio.toFixed(0)}:1），上限为 ${ZIP_LIMITS.maxTotalBytes / 1024 / 1024} MB、${ZIP_LIMITS.maxRatio}:1。疑似压缩炸弹，拒绝处理。`,
        ),
      );
    }
    if (wanted(name)) chosen.push({ entry, path: name });
  }
  const out: ZipEntryData[] = [];
  try {
    for (const { entry, path } of chosen) {
      const data = await new Promise<Buffer>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            // yauzl also checks this; stopping here keeps memory at the declared size.
            if (size > entry.uncompressedSize) stream.destroy(new Error('more data than declared'));
            else chunks.push(c);
          });
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        });
      }).catch((err: Error) => {
        throw importError(fileName, null, msg(`"${path}" in the zip cannot be inflated (${err.message}).`, `无法解压压缩包中的“${path}”（${err.message}）。`));
      });
      out.push({ path, data });
    }
  } finally {
    zip.close();
  }
  return out;
}
