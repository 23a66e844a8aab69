/**
 * Redfish error bodies (DSP0266 "Error responses") built from messages of DMTF's Base message
 * registry (DSP8011). Only the messages this emulator answers with are listed.
 */

export const BASE_REGISTRY_VERSION = 'Base.1.16.0';

type Severity = 'OK' | 'Warning' | 'Critical';

interface MessageDefinition {
  readonly message: string;
  readonly severity: Severity;
  readonly resolution: string;
}

const BASE_MESSAGES = {
  Success: {
    message: 'The request completed successfully.',
    severity: 'OK',
    resolution: 'None.',
  },
  Created: {
    message: 'The resource was created successfully.',
    severity: 'OK',
    resolution: 'None.',
  },
  GeneralError: {
    message:
      'A general error has occurred.  See Resolution for information on how to resolve the error, or if Resolution is not provided, contact the administrator.',
    severity: 'Critical',
    resolution: 'None.',
  },
  InternalError: {
    message:
      'The request failed due to an internal service error.  The service is still operational.',
    severity: 'Critical',
    resolution: 'Resubmit the request.  If the problem persists, consider resetting the service.',
  },
  ServiceTemporarilyUnavailable: {
    message: 'The service is temporarily unavailable.  Retry in %1 seconds.',
    severity: 'Critical',
    resolution:
      'Wait for the indicated retry duration and retry the operation.  If the problem persists, consider resetting the service.',
  },
  NoValidSession: {
    message: 'There is no valid session established with the implementation.',
    severity: 'Critical',
    resolution: 'Establish a session before attempting any operations.',
  },
  ResourceMissingAtURI: {
    message: "The resource at the URI '%1' was not found.",
    severity: 'Critical',
    resolution: 'Place a valid resource at the URI or correct the URI and resubmit the request.',
  },
  ResourceNotFound: {
    message: "The requested resource of type %1 named '%2' was not found.",
    severity: 'Critical',
    resolution: 'Provide a valid resource identifier and resubmit the request.',
  },
  OperationNotAllowed: {
    message: 'The HTTP method is not allowed on this resource.',
    severity: 'Critical',
    resolution: 'None.',
  },
  MalformedJSON: {
    message:
      'The request body submitted was malformed JSON and could not be parsed by the receiving service.',
    severity: 'Critical',
    resolution: 'Ensure that the request body is valid JSON and resubmit the request.',
  },
  UnsupportedMediaType: {
    message: 'The request specifies a Content-Type for the body that is not supported.',
    severity: 'Critical',
    resolution: 'Resubmit the request with a supported media type.',
  },
  PayloadTooLarge: {
    message: 'The supplied payload exceeds the maximum size supported by the service.',
    severity: 'Critical',
    resolution: 'Correct the request body and resubmit the request.',
  },
  PreconditionFailed: {
    message: 'The ETag supplied did not match the ETag required to change this resource.',
    severity: 'Critical',
    resolution: 'Try the operation again using the appropriate ETag.',
  },
  PreconditionRequired: {
    message: 'A precondition header or annotation is required to change this resource.',
    severity: 'Critical',
    resolution:
      'Try the operation again using an If-Match or If-None-Match header and appropriate ETag.',
  },
  PropertyUnknown: {
    message: 'The property %1 is not in the list of valid properties for the resource.',
    severity: 'Warning',
    resolution: 'Remove the unknown property from the request body and resubmit the request.',
  },
  PropertyNotWritable: {
    message: 'The property %1 is a read-only property and cannot be assigned a value.',
    severity: 'Warning',
    resolution: 'Remove the property from the request body and resubmit the request.',
  },
  PropertyValueNotInList: {
    message: "The value '%1' for the property %2 is not in the list of acceptable values.",
    severity: 'Warning',
    resolution:
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.',
  },
  PropertyValueTypeError: {
    message: "The value '%1' for the property %2 is not a type that the property can accept.",
    severity: 'Warning',
    resolution:
      'Correct the value for the property in the request body and resubmit the request if the operation failed.',
  },
  PropertyValueOutOfRange: {
    message:
      "The value '%1' for the property %2 is not in the supported range of acceptable values.",
    severity: 'Warning',
    resolution:
      'Correct the value for the property in the request body and resubmit the request if the operation failed.',
  },
  PropertyMissing: {
    message: 'The property %1 is a required property and must be included in the request.',
    severity: 'Warning',
    resolution:
      'Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.',
  },
  CreateFailedMissingReqProperties: {
    message:
      'The create operation failed because the required property %1 was missing from the request.',
    severity: 'Critical',
    resolution:
      'Correct the body to include the required property with a valid value and resubmit the request if the operation failed.',
  },
  ActionNotSupported: {
    message: 'The action %1 is not supported by the resource.',
    severity: 'Critical',
    resolution:
      'The action supplied cannot be resubmitted to the implementation.  Perhaps the action was invalid, the wrong resource was the target or the implementation documentation may be of assistance.',
  },
  ActionParameterMissing: {
    message: 'The action %1 requires the parameter %2 to be present in the request body.',
    severity: 'Critical',
    resolution:
      'Supply the action with the required parameter in the request body when the request is resubmitted.',
  },
  ActionParameterUnknown: {
    message: 'The action %1 was submitted with the invalid parameter %2.',
    severity: 'Warning',
    resolution: 'Correct the invalid parameter and resubmit the request if the operation failed.',
  },
  ActionParameterValueNotInList: {
    message:
      "The value '%1' for the parameter %2 in the action %3 is not in the list of acceptable values.",
    severity: 'Warning',
    resolution:
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.',
  },
  ActionParameterValueTypeError: {
    message:
      "The value '%1' for the parameter %2 in the action %3 is not a type that the parameter can accept.",
    severity: 'Warning',
    resolution:
      'Correct the value for the parameter in the request body and resubmit the request if the operation failed.',
  },
  ActionParameterValueFormatError: {
    message:
      "The value '%1' for the parameter %2 in the action %3 is not a format that the parameter can accept.",
    severity: 'Warning',
    resolution:
      'Correct the value for the parameter in the request body and resubmit the request if the operation failed.',
  },
  ResourceInUse: {
    message:
      'The change to the requested resource failed because the resource is in use or in transition.',
    severity: 'Warning',
    resolution: 'Remove the condition and resubmit the request if the operation failed.',
  },
  QueryParameterValueTypeError: {
    message:
      "The value '%1' for the query parameter %2 is not a type that the parameter can accept.",
    severity: 'Warning',
    resolution:
      'Correct the value for the query parameter in the request and resubmit the request if the operation failed.',
  },
  QueryParameterOutOfRange: {
    message: "The value '%1' for the query parameter %2 is out of range %3.",
    severity: 'Warning',
    resolution:
      'Reduce the value for the query parameter to a value that is within range, such as a start or count value that is within bounds of the number of resources in a collection or a page that is within the range of valid pages.',
  },
  QueryNotSupported: {
    message: 'Querying is not supported by the implementation.',
    severity: 'Warning',
    resolution: 'Remove the query parameters and resubmit the request if the operation failed.',
  },
  TaskStarted: {
    message: "The task with Id '%1' has started.",
    severity: 'OK',
    resolution: 'None.',
  },
  TaskCompletedOK: {
    message: "The task with Id '%1' has completed.",
    severity: 'OK',
    resolution: 'None.',
  },
  TaskAborted: {
    message: "The task with Id '%1' has been aborted.",
    severity: 'Critical',
    resolution: 'None.',
  },
  TaskCancelled: {
    message: "The task with Id '%1' has been cancelled.",
    severity: 'Warning',
    resolution: 'None.',
  },
} as const satisfies Record<string, MessageDefinition>;

export type BaseMessageId = keyof typeof BASE_MESSAGES;

/** One entry of `@Message.ExtendedInfo` (Message.v1_1 schema). */
export interface RedfishMessage {
  readonly '@odata.type': '#Message.v1_1_2.Message';
  readonly MessageId: string;
  readonly Message: string;
  readonly MessageArgs: readonly string[];
  readonly MessageSeverity: Severity;
  readonly Severity: Severity;
  readonly Resolution: string;
  readonly RelatedProperties?: readonly string[];
}

export interface RedfishErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly '@Message.ExtendedInfo': readonly RedfishMessage[];
  };
}

export function baseMessage(
  id: BaseMessageId,
  args: readonly (string | number)[] = [],
  relatedProperties?: readonly string[],
): RedfishMessage {
  const definition: MessageDefinition = BASE_MESSAGES[id];
  const textArgs = args.map(String);
  const text = definition.message.replace(
    /%(\d+)/g,
    (_, n: string) => textArgs[Number(n) - 1] ?? '',
  );
  return {
    '@odata.type': '#Message.v1_1_2.Message',
    MessageId: `${BASE_REGISTRY_VERSION}.${id}`,
    Message: text,
    MessageArgs: textArgs,
    MessageSeverity: definition.severity,
    Severity: definition.severity,
    Resolution: definition.resolution,
    ...(relatedProperties ? { RelatedProperties: relatedProperties } : {}),
  };
}

/**
 * An error answered as a Redfish error body. `code`/`message` of the body are those of the first
 * message, so a client checking `error.code` sees the specific MessageId.
 */
export class RedfishError extends Error {
  readonly status: number;
  readonly messages: readonly RedfishMessage[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    messages: RedfishMessage | readonly RedfishMessage[],
    headers: Record<string, string> = {},
  ) {
    const list = Array.isArray(messages) ? messages : [messages as RedfishMessage];
    super(list[0]?.Message ?? `HTTP ${status}`);
    this.name = 'RedfishError';
    this.status = status;
    this.messages = list;
    this.headers = headers;
  }

  body(): RedfishErrorBody {
    return errorBody(this.messages);
  }
}

export function errorBody(messages: readonly RedfishMessage[]): RedfishErrorBody {
  const first = messages[0] ?? baseMessage('GeneralError');
  return {
    error: {
      code: first.MessageId,
      message: first.Message,
      '@Message.ExtendedInfo': messages,
    },
  };
}

export function badRequest(
  id: BaseMessageId,
  args: readonly (string | number)[] = [],
  relatedProperties?: readonly string[],
): RedfishError {
  return new RedfishError(400, baseMessage(id, args, relatedProperties));
}

export function notFound(path: string): RedfishError {
  return new RedfishError(404, baseMessage('ResourceMissingAtURI', [path]));
}
