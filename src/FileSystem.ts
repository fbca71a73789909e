/**
 * Files in a session: options and results of the file operations. Paths are
 * the sandbox's own (what a program inside the session sees); relative paths
 * are relative to the session's home. The file operations work inside the
 * session's workspace (its home and `/tmp`); symlinks are followed and must
 * stay inside it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * How `writeFile` treats an existing file.
 *
 * @since 0.1.0
 * @category models
 */
export const WriteMode = Schema.Literal("overwrite", "append", "create_new")

/**
 * @since 0.1.0
 * @category models
 */
export type WriteMode = typeof WriteMode.Type

/**
 * Text (UTF-8) or raw bytes.
 *
 * @since 0.1.0
 * @category models
 */
export const FileContent = Schema.Union(Schema.String, Schema.Uint8ArrayFromSelf)

/**
 * @since 0.1.0
 * @category models
 */
export type FileContent = typeof FileContent.Type

/**
 * Options of `readFile`: `format: "bytes"` returns a `Uint8Array`.
 *
 * @since 0.1.0
 * @category models
 */
export const ReadFileOptions = Schema.Struct({
  format: Schema.optionalWith(Schema.Literal("text", "bytes"), { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface ReadFileOptions extends Schema.Schema.Type<typeof ReadFileOptions> {}

/**
 * Options of `writeFile` (default mode `"overwrite"`). Missing parent
 * directories are created.
 *
 * @since 0.1.0
 * @category models
 */
export const WriteFileOptions = Schema.Struct({
  mode: Schema.optionalWith(WriteMode, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface WriteFileOptions extends Schema.Schema.Type<typeof WriteFileOptions> {}

/**
 * Options of `deleteFile`: `recursive` deletes a directory and its content.
 *
 * @since 0.1.0
 * @category models
 */
export const DeleteFileOptions = Schema.Struct({
  recursive: Schema.optionalWith(Schema.Boolean, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface DeleteFileOptions extends Schema.Schema.Type<typeof DeleteFileOptions> {}

/**
 * Options of `searchFiles`: glob patterns of names or relative paths to skip.
 *
 * @since 0.1.0
 * @category models
 */
export const SearchFilesOptions = Schema.Struct({
  excludePatterns: Schema.optionalWith(Schema.Array(Schema.String), { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface SearchFilesOptions extends Schema.Schema.Type<typeof SearchFilesOptions> {}

/**
 * Options of `editFile`: `dryRun` returns the diff without writing.
 *
 * @since 0.1.0
 * @category models
 */
export const EditFileOptions = Schema.Struct({
  dryRun: Schema.optionalWith(Schema.Boolean, { exact: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export interface EditFileOptions extends Schema.Schema.Type<typeof EditFileOptions> {}

/**
 * One replacement of `editFile`: the first occurrence of `oldText` becomes `newText`.
 *
 * @since 0.1.0
 * @category models
 */
export const Edit = Schema.Struct({
  oldText: Schema.String,
  newText: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Edit extends Schema.Schema.Type<typeof Edit> {}

/**
 * An entry of `listDirectory` (symlinks report what they point to).
 *
 * @since 0.1.0
 * @category models
 */
export const DirectoryEntry = Schema.Struct({
  name: Schema.String,
  isDirectory: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export interface DirectoryEntry extends Schema.Schema.Type<typeof DirectoryEntry> {}

/**
 * What `getFileInfo` reports. `modTime` is ISO 8601; `mode` is octal, e.g. `"0644"`.
 *
 * @since 0.1.0
 * @category models
 */
export const FileInfo = Schema.Struct({
  name: Schema.String,
  path: Schema.String,
  size: Schema.Number,
  isDirectory: Schema.Boolean,
  modTime: Schema.String,
  mode: Schema.String,
  owner: Schema.String,
  group: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export interface FileInfo extends Schema.Schema.Type<typeof FileInfo> {}
