/**
 * Reading a .zip (shapefile bundles, KMZ) safely with yauzl: every entry's path and declared size are
 * checked before anything is inflated, and inflation stops at the declared size (yauzl verifies the
 * actual size against it), so a zip bomb or a path outside the folder is refused without filling memory.
 */
import yauzl from 'yauzl';
import { msg } from '../../domain/parcelFields.ts';
import { importError } from './errors.ts';
import { uploadLimits } from './limits.ts';

export const ZIP_LIMITS = {
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

export interface ReadZipOptions {
  /** What all entries may inflate to; IMPORT_MAX_INFLATED_MB's value unless given. */
  maxTotalBytes?: number;
  /** The setting named in the refusal. */
  setting?: string;
  /**
   * Inflate every entry (not only the wanted ones) and count its bytes without keeping them: for a zip that
   * another library will inflate again (ExcelJS), so that declared sizes that lie are caught here first.
   */
  verifyAll?: boolean;
}

export async function readZip(
  fileName: string,
  buffer: Buffer,
  wanted: (path: string) => boolean = () => true,
  options: ReadZipOptions = {},
): Promise<ZipEntryData[]> {
  const maxTotalBytes = options.maxTotalBytes ?? uploadLimits().maxInflatedBytes;
  const setting = options.setting ?? 'IMPORT_MAX_INFLATED_MB';
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) => {
      if (err || !z)
        reject(
          importError(
            fileName,
            null,
            msg(
              `The file is not a readable zip archive (${err?.message ?? 'unknown error'}).`,
              `文件不是可读取的 zip 压缩包（${err?.message ?? '未知错误'}）。`,
            ),
          ),
        );
      else resolve(z);
    });
  });
  if (zip.entryCount > ZIP_LIMITS.maxEntries) {
    zip.close();
    throw importError(
      fileName,
      null,
      msg(
        `The zip holds ${zip.entryCount} entries; at most ${ZIP_LIMITS.maxEntries} are read.`,
        `压缩包内有 ${zip.entryCount} 个文件，最多读取 ${ZIP_LIMITS.maxEntries} 个。`,
      ),
    );
  }
  // First pass: the central directory only (names and declared sizes), nothing inflated.
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) =>
      reject(importError(fileName, null, msg(`The zip archive is damaged (${err.message}).`, `zip 压缩包已损坏（${err.message}）。`))),
    );
    zip.readEntry();
  });
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
  // All declared sizes first, so that the refusal names the whole figure, not where the count stopped.
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > maxTotalBytes) {
    zip.close();
    throw importError(
      fileName,
      null,
      msg(
        `The archive would inflate to ${mb(total)} MB; at most ${mb(maxTotalBytes)} MB are inflated (${setting}). This looks like a zip bomb, or the file must be split.`,
        `压缩包解压后将达 ${mb(total)} MB，最多允许解压 ${mb(maxTotalBytes)} MB（${setting}）。疑似压缩炸弹，或须拆分文件。`,
      ),
      413,
      'import_too_large',
    );
  }
  const chosen: { entry: yauzl.Entry; path: string; keep: boolean }[] = [];
  for (const entry of entries) {
    const name = decodeName(entry.fileName as unknown as Buffer, (entry.generalPurposeBitFlag & 0x800) !== 0).replace(/\\/g, '/');
    const parts = name.split('/');
    if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
      zip.close();
      throw importError(
        fileName,
        null,
        msg(`The zip entry "${name}" points outside the archive's folder; such files are refused.`, `压缩包中的“${name}”指向压缩包目录之外，拒绝处理。`),
      );
    }
    if (name.endsWith('/')) continue;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > 1024 * 1024 && ratio > ZIP_LIMITS.maxRatio) {
      zip.close();
      throw importError(
        fileName,
        null,
        msg(
          `"${name}" in the archive would inflate to ${mb(entry.uncompressedSize)} MB, compressed ${ratio.toFixed(0)}:1; at most ${ZIP_LIMITS.maxRatio}:1 is accepted. This looks like a zip bomb and is refused.`,
          `压缩包中的“${name}”解压后将达 ${mb(entry.uncompressedSize)} MB，压缩比 ${ratio.toFixed(0)}:1，最多接受 ${ZIP_LIMITS.maxRatio}:1。疑似压缩炸弹，拒绝处理。`,
        ),
        // 422, not 413: the file may be small; its content is what is refused (the table routes answer 400).
      );
    }
    const keep = wanted(name);
    if (keep || options.verifyAll) chosen.push({ entry, path: name, keep });
  }
  const out: ZipEntryData[] = [];
  try {
    for (const { entry, path, keep } of chosen) {
      const data = await new Promise<Buffer>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            // yauzl also checks this; stopping here keeps memory at the declared size.
            if (size > entry.uncompressedSize) stream.destroy(new Error('more data than declared'));
            else if (keep) chunks.push(c);
          });
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        });
      }).catch((err: Error) => {
        throw importError(fileName, null, msg(`"${path}" in the zip cannot be inflated (${err.message}).`, `无法解压压缩包中的“${path}”（${err.message}）。`));
      });
      if (keep) out.push({ path, data });
    }
  } finally {
    zip.close();
  }
  return out;
}
