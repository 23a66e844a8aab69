import { TemporaryFailure } from '@galvanic/driver-sdk';

/** A command as Ironic Python Agent reports it from `/v1/commands/`. */
export interface AgentCommandStatus {
  id: string;
  command_name: string;
  command_status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'VERIFYING';
  command_error: unknown;
  command_result: unknown;
}

export interface AgentClientOptions {
  /** The agent's callback URL, as its heartbeats gave it. */
  url: string;
  /** The node's agent token; the agent refuses commands without it. */
  token: string | undefined;
  /** Bound on each HTTP request. */
  timeoutMs: number;
  /** Aborts a request when the task stops. */
  signal: AbortSignal;
}

/** The text of an agent's `command_error` (IPA sends an object with a message, or a string). */
export function agentErrorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message, details } = error as { message?: unknown; details?: unknown };
    const parts = [message, details].filter((part) => typeof part === 'string' && part !== '');
    if (parts.length > 0) return parts.join(': ');
  }
  return JSON.stringify(error);
}

/**
 * Ironic's agent client: commands go to `POST {callback_url}/v1/commands/?wait=...` with the
 * node's token, async results are read from `GET {callback_url}/v1/commands/`. Every request is
 * bounded by `[agent] command_timeout`.
 */
export class AgentClient {
  constructor(private readonly options: AgentClientOptions) {}

  private endpoint(query: Record<string, string>): string {
    const url = new URL(
      'v1/commands/',
      this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`,
    );
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    if (this.options.token) url.searchParams.set('agent_token', this.options.token);
    return url.toString();
  }

  private async request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> {
    const signal = AbortSignal.any([
      this.options.signal,
      AbortSignal.timeout(this.options.timeoutMs),
    ]);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if (this.options.signal.aborted) throw this.options.signal.reason as Error;
      throw new TemporaryFailure(
        `The agent at ${this.options.url} could not be reached: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new TemporaryFailure(
        `The agent at ${this.options.url} answered ${method} with HTTP ${response.status}: ${text.slice(0, 500)}`,
      );
    }
    return text === '' ? {} : (JSON.parse(text) as unknown);
  }

  /** Runs `name` on the agent; with `wait` the answer carries its result, else it is RUNNING. */
  async execute(
    name: string,
    params: Record<string, unknown>,
    wait: boolean,
  ): Promise<AgentCommandStatus> {
    return (await this.request('POST', this.endpoint({ wait: String(wait) }), {
      name,
      params,
    })) as AgentCommandStatus;
  }

  /** Every command the agent ran or runs, oldest first. */
  async commands(): Promise<AgentCommandStatus[]> {
    const answer = (await this.request('GET', this.endpoint({}))) as { commands?: unknown };
    return Array.isArray(answer.commands) ? (answer.commands as AgentCommandStatus[]) : [];
  }
}
