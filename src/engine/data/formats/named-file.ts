/** A file the user picked or a loader downloaded: its name (for messages and matching) and bytes. */
export interface NamedFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** The last path component, so archive members and picked files match by the same name. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
