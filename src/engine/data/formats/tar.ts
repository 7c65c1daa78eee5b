import { unpackTar, type ParsedTarEntryWithData } from 'modern-tar';
import { DatasetFormatError } from '../format-error';
import type { ProgressCallback } from '../progress';
import { gunzipStream, isGzip } from './gzip';

export interface TarOptions {
  /** Named in error messages. */
  fileName: string;
  /** Keeps only the members it accepts, so unwanted ones are never buffered. */
  wanted?: (memberName: string) => boolean;
  onProgress?: ProgressCallback;
}

/** Archives made with `tar -C dir .` prefix their members with "./"; match them like any other. */
function memberPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

/**
 * Reads the regular files of a tar or tar.gz archive into a map from member
 * path to bytes. Strict mode makes a cut-off archive an error instead of a
 * silently shorter list of members.
 */
export interface TarContents {
  /** The wanted regular files. */
  readonly members: Map<string, Uint8Array>;
  /** Every regular file in the archive, wanted or not, to explain what an unexpected archive holds. */
  readonly paths: readonly string[];
}

export async function readTarMembers(archive: Uint8Array, options: TarOptions): Promise<TarContents> {
  const { fileName, wanted = () => true, onProgress } = options;
  const source = isGzip(archive) ? gunzipStream(archive, { fileName, onProgress }) : archive;
  const paths: string[] = [];
  let entries: ParsedTarEntryWithData[];
  try {
    entries = await unpackTar(source, {
      strict: true,
      filter: (header) => {
        if ((header.type ?? 'file') !== 'file') return false;
        const path = memberPath(header.name);
        paths.push(path);
        return wanted(path);
      },
    });
  } catch (error) {
    if (error instanceof DatasetFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DatasetFormatError(
      /truncated/i.test(message)
        ? `${fileName} is truncated: the archive ends in the middle of a file (incomplete download?).`
        : `${fileName} is not a valid tar archive (${message}).`,
      { cause: error },
    );
  }
  if (!isGzip(archive)) onProgress?.(1, `Read ${fileName}`);
  const members = new Map<string, Uint8Array>();
  for (const entry of entries) members.set(memberPath(entry.header.name), entry.data ?? new Uint8Array(0));
  return { members, paths };
}
