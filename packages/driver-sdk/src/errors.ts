/** The errors a driver throws; the API shows each with Ironic's status and wording. */
export {
  GalvanicError,
  InvalidParameterValue,
  MissingParameterValue,
  UnsupportedDriverExtension,
  InvalidState,
  InternalError,
  TemporaryFailure,
  ImageDownloadFailed,
} from '@galvanic/errors';
