/**
 * The one error a dataset parser throws for bad input. Its message is shown to
 * the user as is, so it names the file and the problem in plain words rather
 * than the library that noticed it.
 */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
